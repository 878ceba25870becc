# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test browser check format lint types layers bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first: its CPU build comes from local disk; a bare `torch` would pull CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/creatormatch --home .creatormatch demo

# The one test command (README, .ci/run): format check, lint, types, the layer contract, tests.
test: lint types layers browser
	$(BIN)/python -m pytest -q

# The discovery page is tested in Debian's headless Chromium; install it where it is missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }

format: $(STAMP)
	$(BIN)/ruff format .

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

# Imports run one way through the layers (pyproject.toml, docs/decisions/0011).
layers: $(STAMP)
	$(BIN)/lint-imports

check: test

bench: $(STAMP)
	$(BIN)/creatormatch bench embed
	$(BIN)/creatormatch bench shortlist --creators 100000

clean:
	rm -rf $(VENV) .creatormatch .pytest_cache .mypy_cache .ruff_cache
