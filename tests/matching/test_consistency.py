"""Catalog, index and scores agree: `check_home` finds where they do not, `repair_home` and the next
ingest bring them back; the upsert path never publishes an index that drops another writer's
creators."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from creatormatch.core import ArtifactError, Home
from creatormatch.features import CreatorRecord, load_embedder
from creatormatch.matching import (
    CreatorIndex,
    build_index,
    check_home,
    delete_creator,
    ingest_file,
    ingest_records,
    repair_home,
    upsert_creators,
)
from creatormatch.store import Catalog
from tests.conftest import niche_records
from tests.serving.conftest import train_small_models

EMBEDDER = load_embedder("hashing")


@pytest.fixture()
def home(hashing_home: Home, tmp_path: Path) -> Home:
    """A writable copy of the 90-creator hashing home: catalog and index agree, no models."""
    shutil.copytree(hashing_home.root, tmp_path / "home")
    return Home(tmp_path / "home")


@pytest.fixture()
def scored_home(home: Home) -> Home:
    """The same with a fraud and an account model published and every creator scored."""
    train_small_models(home)
    return home


def newcomers(n: int, prefix: str, seed: int = 5) -> list[CreatorRecord]:
    return [
        r.model_copy(update={"creator_id": f"{prefix}{i:03d}"})
        for i, r in enumerate(niche_records(n, seed=seed))
    ]


def write_jsonl(path: Path, records: list[CreatorRecord]) -> Path:
    path.write_text("".join(r.model_dump_json(exclude_none=True) + "\n" for r in records))
    return path


def store_only(home: Home, records: list[CreatorRecord]) -> None:
    """What an ingest killed after storing its chunks got done: no scores, no index."""
    catalog = Catalog(home.catalog)
    ingest_records(catalog, records, embedder=EMBEDDER)
    catalog.close()


def findings(home: Home) -> dict[str, tuple[str, ...]]:
    return {f.text: f.ids for f in check_home(home).findings}


def indexed(home: Home) -> set[str]:
    return set(CreatorIndex.load(home.index_dir).items_["creator_id"])


def test_a_healthy_home_is_clean_and_says_what_it_checked(scored_home: Home) -> None:
    checkup = check_home(scored_home)
    assert checkup.clean and checkup.lines()[-1] == "clean"
    assert "integrity_check ok, 90 creators" in checkup.lines()[0]
    assert "scored   fraud 90, audience quality 90" in checkup.lines()


def test_creators_stored_but_never_indexed_are_found_and_repair_indexes_them(home: Home) -> None:
    store_only(home, newcomers(5, "n"))
    found = check_home(home)
    assert {f.text: f.ids for f in found.findings} == {
        "in the catalog, missing from the index": ("n000", "n001", "n002", "n003", "n004"),
        "the index is older than the catalog (records changed since)": (),
    }
    assert repair_home(home, found, embedder=EMBEDDER) == [
        "rebuilt the index from the catalog: 95 creators"
    ]
    assert check_home(home).clean


def test_an_ingest_cut_short_is_finished_by_the_next_one_which_says_so(
    scored_home: Home, tmp_path: Path
) -> None:
    """The issue's kill -9: chunks committed, scores and index never came; a re-run said
    "unchanged" and left them so."""
    records = newcomers(20, "k")
    store_only(scored_home, records)
    assert set(findings(scored_home)) >= {
        "in the catalog, missing from the index",
        "no fraud score",
        "no audience quality score",
    }
    report = ingest_file(
        scored_home, write_jsonl(tmp_path / "k.jsonl", records), embedder=EMBEDDER, progress=False
    )
    assert report.summary() == (
        "20 read, 0 stored, 20 unchanged, 0 embedded, 0 rejected; "
        "redone: 20 missing from the index, 20 without scores"
    )
    assert check_home(scored_home).clean


def test_changed_records_stored_before_a_crash_are_rescored_and_reindexed_by_the_next_ingest(
    scored_home: Home, tmp_path: Path
) -> None:
    changed = [r.model_copy(update={"bio": "knitting wool crochet"}) for r in niche_records(3)]
    store_only(scored_home, changed)  # indexed and scored with their old text: ids look fine
    ids = ("c000", "c001", "c002")
    assert findings(scored_home) == {
        "the index is older than the catalog (records changed since)": (),
        "no fraud score": ids,  # an outdated report is dropped with its record, never kept
        "no audience quality score": ids,
    }
    source = write_jsonl(tmp_path / "c.jsonl", changed)
    report = ingest_file(scored_home, source, embedder=EMBEDDER, progress=False)
    assert report.summary().endswith(
        "; redone: 3 without scores, index rebuilt (older than the catalog)"
    )
    assert check_home(scored_home).clean


def test_an_index_publication_cut_short_is_found_and_rebuilt_by_the_next_ingest(
    home: Home, tmp_path: Path
) -> None:
    (home.index_dir / "manifest.json").unlink()
    assert [text.split(":")[0] for text in findings(home)] == ["index"]
    records = niche_records()
    report = ingest_file(
        home, write_jsonl(tmp_path / "all.jsonl", records), embedder=EMBEDDER, progress=False
    )
    assert "0 stored, 90 unchanged" in report.summary()
    assert "; redone: index rebuilt (no manifest.json in" in report.summary()
    assert check_home(home).clean


def test_features_an_older_version_wrote_as_infinity_are_found_and_restored(home: Home) -> None:
    with sqlite3.connect(home.catalog) as db:  # what a 500 on `Infinity` used to leave behind
        db.execute(
            "UPDATE creators SET features = '{\"followers\": Infinity}' WHERE creator_id = 'c001'"
        )
    catalog = Catalog(home.catalog)
    with pytest.raises(ArtifactError, match=r"1 creator\(s\) .* malformed features JSON \(c001\)"):
        build_index(home, catalog, EMBEDDER)
    catalog.close()
    found = check_home(home)
    assert {f.text: f.ids for f in found.findings} == {
        "features SQLite cannot read (an older version stored non-finite numbers)": ("c001",)
    }
    assert (
        repair_home(home, found, embedder=EMBEDDER)[0] == "re-stored the features of 1 creator(s)"
    )
    assert check_home(home).clean


def test_fraud_reports_of_deleted_creators_are_found_and_removed(scored_home: Home) -> None:
    with sqlite3.connect(scored_home.catalog) as db:
        db.execute("INSERT INTO fraud_scores VALUES ('ghost', 0.5, 'medium', '{}')")
    found = check_home(scored_home)
    assert [f.ids for f in found.findings] == [("ghost",)]
    repair_home(scored_home, found, embedder=EMBEDDER)
    assert check_home(scored_home).clean


def test_a_model_publication_cut_short_is_reported_and_left_to_train(scored_home: Home) -> None:
    (scored_home.model_dir("fraud") / "manifest.json").unlink()
    found = check_home(scored_home)
    assert [f.repair for f in found.findings] == [None]
    assert "no manifest.json (a publication was cut short); run `creatormatch train`" in (
        found.findings[0].text
    )
    assert repair_home(scored_home, found, embedder=EMBEDDER) == []


def test_doctor_refuses_a_damaged_catalog_naming_it(home: Home) -> None:
    with home.catalog.open("r+b") as handle:
        handle.truncate(home.catalog.stat().st_size // 2)
    with pytest.raises(ArtifactError, match=r"catalog\.db is damaged \(PRAGMA integrity_check"):
        check_home(home)


def test_an_upsert_keeps_creators_another_writer_stored_but_never_indexed(
    home: Home, tmp_path: Path
) -> None:
    """The issue's race: a CLI ingest stored 30 creators; the server's next upsert published an
    index without them and a re-run of the ingest said "0 stored, 30 unchanged"."""
    served = CreatorIndex.load(home.index_dir)  # what the server holds
    cli = newcomers(30, "cli")
    store_only(home, cli)  # the CLI's chunks are in; its rebuild has not come yet
    catalog = Catalog(home.catalog)
    done = upsert_creators(home, catalog, served, newcomers(1, "api", seed=9), embedder=EMBEDDER)
    assert len(done.index) == 121 and indexed(home) == set(catalog.creator_ids())
    catalog.close()
    # It cannot vouch for the CLI's records' vectors, so the index still reads as older ...
    assert set(findings(home)) == {"the index is older than the catalog (records changed since)"}
    report = ingest_file(home, write_jsonl(tmp_path / "cli.jsonl", cli), embedder=EMBEDDER)
    assert report.summary().endswith("; redone: index rebuilt (older than the catalog)")
    assert check_home(home).clean  # ... until the CLI's ingest (or a re-run) finishes


def test_an_upsert_or_delete_starts_from_the_index_another_process_published(home: Home) -> None:
    served = CreatorIndex.load(home.index_dir)
    store_only(home, newcomers(30, "cli"))
    catalog = Catalog(home.catalog)
    build_index(home, catalog, EMBEDDER)  # the CLI finished and published 120 creators
    done = upsert_creators(home, catalog, served, newcomers(1, "api", seed=9), embedder=EMBEDDER)
    assert len(done.index) == 121
    after = delete_creator(home, catalog, served, "c000", model_id=EMBEDDER.model_id)
    assert len(after) == 120 and indexed(home) == set(catalog.creator_ids())
    catalog.close()
    assert check_home(home).clean
