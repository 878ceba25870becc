"""Ingest stores only what changed, and everything again after a pipeline upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

import creatormatch.matching.ingest as ingest
from creatormatch.features import load_embedder
from creatormatch.store import Catalog
from tests.conftest import niche_records


def test_a_pipeline_upgrade_restores_every_record_but_embeds_only_changed_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    embedder = load_embedder("hashing")
    records = niche_records(30)
    first = ingest.ingest_records(catalog, records, embedder=embedder)
    assert (first.stored, first.embedded) == (30, 30)
    again = ingest.ingest_records(catalog, records, embedder=embedder)
    assert (again.stored, again.unchanged, again.embedded) == (0, 30, 0)

    monkeypatch.setattr(ingest, "PIPELINE_VERSION", ingest.PIPELINE_VERSION + 1)
    upgraded = ingest.ingest_records(catalog, records, embedder=embedder)
    # Features are recomputed for all; the text is the same, so the vector cache answers.
    assert (upgraded.stored, upgraded.unchanged, upgraded.embedded) == (30, 0, 0)
