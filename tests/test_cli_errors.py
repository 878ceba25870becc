"""The command line answers bad or unanswerable input with one line and exit code 2, or with an
empty shortlist and its note; never with a traceback."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home, get_settings
from tests.serving.conftest import copy_home, train_small_models
from tests.value_models import train_value_models


@pytest.fixture(scope="module")
def valued(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = copy_home(hashing_home, tmp_path_factory.mktemp("cli") / "home")
    train_small_models(home)
    train_value_models(home)
    return home


@pytest.fixture()
def hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    gc.unfreeze()  # a one-shot command freezes what it loaded


def _shortlist(home: Home, *flags: str) -> int:
    return main(["--home", str(home.root), "shortlist", "--brief", "pasta", *flags])


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (("--budget", "1"), "fits the budget 1: the cheapest costs"),
        (("--max-fraud", "0"), "within the brief's max_fraud 0"),
        (("--price-cap", "0.5"), "price_cap 0.5"),
    ],
)
def test_a_brief_no_creator_answers_prints_an_empty_shortlist_with_its_note(
    valued: Home, hashing: None, capsys: pytest.CaptureFixture[str], flags: tuple, says: str
) -> None:
    assert _shortlist(valued, *flags, "--format", "json") == 0
    body = json.loads(capsys.readouterr().out)
    assert body["items"] == [] and any(says in note for note in body["degraded"])


@pytest.mark.parametrize(
    ("flags", "flag"),
    [
        (("--budget", "inf"), "--budget"),
        (("--budget", "nan"), "--budget"),
        (("--price-cap", "1e400"), "--price-cap"),
        (("--min-er=-inf",), "--min-er"),
        (("--max-fraud", "nan"), "--max-fraud"),
        (("--budget", "1e13"), "--budget"),
        (("--k", str(10**400)), "--k"),
        (("--ages", ",".join(["18-24"] * 100)), "--ages"),
        (("--exclude", ",".join(f"c{i}" for i in range(20_000))), "--exclude"),
    ],
)
def test_a_non_finite_huge_or_oversized_flag_is_one_line_and_exit_2(
    valued: Home, hashing: None, capsys: pytest.CaptureFixture[str], flags: tuple, flag: str
) -> None:
    assert _shortlist(valued, *flags) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"creatormatch: error: {flag}: ") and err.count("\n") == 1, err


def test_non_finite_country_weights_are_refused_by_the_parser(
    valued: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit, match="2"):
        _shortlist(valued, "--countries", "US:inf")
    assert "expected finite weights" in capsys.readouterr().err


def test_ingest_rejects_non_finite_huge_and_oversized_records_naming_the_field(
    valued: Home, hashing: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"creator_id": "inf", "price_per_post": Infinity}',
        '{"creator_id": "nan", "audience": {"countries": {"US": NaN}}}',
        '{"creator_id": "big", "followers": 1' + "0" * 400 + "}",
        '{"creator_id": "huge", "followers": 1' + "0" * 5_000 + "}",
        json.dumps({"creator_id": "many", "categories": ["x"] * 1_000}),
    ]
    records = tmp_path / "hostile.jsonl"
    records.write_text("\n".join(lines) + "\n")
    home = copy_home(valued, tmp_path / "home")
    assert main(["--home", str(home.root), "ingest", "--no-progress", str(records)]) == 1
    err = capsys.readouterr().err
    for where in ("price_per_post", "audience.countries.US", "followers", "not JSON", "categories"):
        assert where in err
    assert "Traceback" not in err and err.count("rejected") == 5
