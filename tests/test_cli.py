"""The command line starts fast: building its parser imports no heavy library and no domain code."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.cli import models as models_cli
from creatormatch.cli.shortlist import one_shot
from creatormatch.core import get_settings
from creatormatch.training import MODELS

HEAVY = ("torch", "sentence_transformers", "faiss", "lightgbm", "sklearn", "matplotlib", "mlflow")
DOMAIN = ("features", "models", "store", "matching", "training", "serving", "world", "bench")
PROBE = (
    "import sys; from creatormatch.cli import build_parser; build_parser(); "
    "print(' '.join(sorted(sys.modules)))"
)


def test_building_the_parser_imports_no_heavy_library_and_no_domain_package() -> None:
    loaded = set(subprocess.check_output([sys.executable, "-c", PROBE], text=True).split())
    assert not loaded & set(HEAVY)
    assert not loaded & {f"creatormatch.{name}" for name in DOMAIN}


def test_the_model_choices_of_the_command_line_are_the_published_models() -> None:
    assert models_cli.MODELS == MODELS


def test_models_list_reads_the_registry_the_settings_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "registry" / "mlflow.db"
    elsewhere.parent.mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{elsewhere}")
    get_settings.cache_clear()
    try:
        assert main(["--home", str(tmp_path / "home"), "models", "list"]) == 0
    finally:
        get_settings.cache_clear()
    assert elsewhere.is_file() and not (tmp_path / "home" / "mlflow.db").exists()


def test_a_one_shot_command_turns_garbage_collection_back_on_even_when_it_fails() -> None:
    with pytest.raises(RuntimeError, match="no such home"), one_shot():
        assert not gc.isenabled()
        raise RuntimeError("no such home")
    assert gc.isenabled()
    gc.unfreeze()
