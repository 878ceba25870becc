"""`creatormatch doctor`: exit 0 when clean, 1 when it found (and with --repair fixed)
differences, 2 on error, a damaged catalog among them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home, get_settings
from creatormatch.features import load_embedder
from creatormatch.matching import ingest_records
from creatormatch.store import Catalog
from tests.conftest import niche_records


@pytest.fixture()
def home(hashing_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    shutil.copytree(hashing_home.root, tmp_path / "home")
    yield tmp_path / "home"
    get_settings.cache_clear()


def doctor(home: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--home", str(home), "doctor", *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_doctor_on_a_healthy_home_says_clean_and_exits_0(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = doctor(home, capsys)
    assert code == 0 and out.splitlines()[-1] == "clean"
    assert "integrity_check ok, 90 creators" in out and "index    90 creators" in out


def test_doctor_repair_indexes_what_a_crash_left_out_and_exits_1(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = Catalog(home / "catalog.db")
    extra = [r.model_copy(update={"creator_id": f"x{i}"}) for i, r in enumerate(niche_records(3))]
    ingest_records(catalog, extra, embedder=load_embedder("hashing"))
    catalog.close()
    code, out, _ = doctor(home, capsys)
    assert code == 1 and "✗ in the catalog, missing from the index (3): x0, x1, x2" in out
    code, out, _ = doctor(home, capsys, "--repair")
    assert code == 1
    assert "repaired: rebuilt the index from the catalog: 93 creators" in out
    assert out.splitlines()[-1] == "after repair: clean"
    assert doctor(home, capsys)[0] == 0


def test_doctor_on_a_damaged_catalog_names_it_and_exits_2(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "catalog.db").write_bytes(b"")
    code, _, err = doctor(home, capsys, "--repair")
    assert code == 2
    assert "catalog.db is damaged (PRAGMA integrity_check: an empty file (0 bytes)" in err
    assert (home / "catalog.db").stat().st_size == 0  # never re-created
