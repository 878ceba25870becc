"""Do the catalog, the index and the scores agree? `doctor` asks, and `doctor --repair` fixes.

What is checked: the catalog file in full (`PRAGMA integrity_check`; a damaged one is refused, not
repaired); the catalog's creators against the ids of the published index (verified as a server
would load it) and whether the index is older than the catalog; the creators against the scores
of each published scorer (fraud reports, audience quality) and scores left by deleted creators;
features JSON that SQLite cannot read; artifact directories whose manifest is missing (a
publication cut short). A repair re-stores unreadable features from their records, scores what
lacks a score, drops orphaned reports and rebuilds the index from the catalog; a model without a
manifest comes back with `creatormatch train`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creatormatch.core import MANIFEST, ArtifactError, Home, NotReady, verify
from creatormatch.features import TextEmbedder
from creatormatch.matching.index import CreatorIndex
from creatormatch.matching.indexing import build_index, is_current
from creatormatch.matching.ingest import store_again
from creatormatch.store import (
    Catalog,
    catalog_problems,
    missing_scores,
    refresh_scores,
    refuse_damaged,
)

SHOWN_IDS = 5


@dataclass(frozen=True)
class Finding:
    """One way the home disagrees with itself: `ids` of the creators concerned, if any, and
    which repair fixes it ("index", "scores", "features", "orphans"; None: `doctor` cannot)."""

    text: str
    ids: tuple[str, ...] = ()
    repair: str | None = "index"

    def line(self) -> str:
        shown = ", ".join(self.ids[:SHOWN_IDS])
        more = f", … {len(self.ids) - SHOWN_IDS} more" if len(self.ids) > SHOWN_IDS else ""
        return self.text + (f" ({len(self.ids)}): {shown}{more}" if self.ids else "")


@dataclass(frozen=True)
class Checkup:
    """What `check_home` saw (`facts`, one line each) and what disagrees (`findings`)."""

    facts: list[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        verdict = "clean" if self.clean else f"{len(self.findings)} problem(s)"
        return [*self.facts, *(f"  ✗ {f.line()}" for f in self.findings), verdict]


def check_home(home: Home) -> Checkup:
    """Check the home's catalog, index and scores against each other; nothing is changed.

    Raises NotReady without a catalog and ArtifactError when the catalog file is damaged."""
    if not home.catalog.is_file():
        raise NotReady(f"no catalog in {home.root}: nothing to check (run `creatormatch ingest`)")
    problems = catalog_problems(home.catalog, full=True)
    if problems:
        raise refuse_damaged(home.catalog, problems, check="integrity_check")
    catalog = Catalog(home.catalog)
    try:
        ids = set(catalog.creator_ids())
        facts = [f"catalog  {home.catalog}: integrity_check ok, {len(ids)} creators"]
        findings = _index_findings(home, catalog, ids, facts)
        findings += _score_findings(home, catalog, ids, facts)
        malformed = catalog.malformed_ids()
        if malformed:
            text = "features SQLite cannot read (an older version stored non-finite numbers)"
            findings.append(Finding(text, tuple(malformed), "features"))
    finally:
        catalog.close()
    return Checkup(facts, findings + _model_findings(home, facts))


def _index_findings(home: Home, catalog: Catalog, ids: set[str], facts: list[str]) -> list[Finding]:
    try:
        index = CreatorIndex.load(home.index_dir)
    except ArtifactError as error:
        facts.append("index    none that loads")
        if not ids and not (home.index_dir / MANIFEST).is_file():
            return []  # an empty catalog and no index agree
        return [Finding(f"index: {error}")]
    except (RuntimeError, OSError, ValueError, KeyError) as error:  # FAISS raises RuntimeError
        facts.append("index    none that loads")
        return [Finding(f"index in {home.index_dir} cannot be read: {error}")]
    manifest = index.manifest_
    indexed = set(index.items_["creator_id"])
    facts.append(
        f"index    {len(indexed)} creators, embeddings {manifest.get('embedding_model')!r}, "
        f"built at catalog generation {manifest.get('catalog_generation', '?')} "
        f"(catalog now at {catalog.generation()})"
    )
    findings = []
    if ids - indexed:
        findings.append(Finding("in the catalog, missing from the index", _sorted(ids - indexed)))
    if indexed - ids:
        findings.append(Finding("in the index, not in the catalog", _sorted(indexed - ids)))
    if not is_current(manifest, catalog):
        findings.append(Finding("the index is older than the catalog (records changed since)"))
    return findings


def _score_findings(home: Home, catalog: Catalog, ids: set[str], facts: list[str]) -> list[Finding]:
    missing = missing_scores(home, catalog)
    counts = ", ".join(f"{name} {len(ids) - len(m)}" for name, m in missing.items())
    facts.append(f"scored   {counts or 'nothing (no fraud or account model published)'}")
    findings = [
        Finding(f"no {name} score", _sorted(m), "scores") for name, m in missing.items() if m
    ]
    orphans = catalog.fraud_scored_ids() - ids
    if orphans:
        text = "fraud reports of creators not in the catalog"
        findings.append(Finding(text, _sorted(orphans), "orphans"))
    return findings


def _model_findings(home: Home, facts: list[str]) -> list[Finding]:
    """Each published model verified as a server would load it; files without a manifest."""
    models = home.root / "models"
    directories = sorted(p for p in models.iterdir() if p.is_dir()) if models.is_dir() else []
    states, findings = [], []
    for directory in directories:
        if not (directory / MANIFEST).is_file():
            if any(directory.iterdir()):
                states.append(f"{directory.name} cut short")
                text = f"{directory}: files but no {MANIFEST} (a publication was cut short)"
                findings.append(Finding(text + "; run `creatormatch train`", repair=None))
            continue
        try:
            verify(directory)
            states.append(f"{directory.name} ok")
        except ArtifactError as error:
            states.append(f"{directory.name} refused")
            findings.append(Finding(f"{directory.name} model: {error}", repair=None))
    facts.append(f"models   {', '.join(states) or 'none published'}")
    return findings


def _sorted(ids: set[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))


def repair_home(home: Home, checkup: Checkup, *, embedder: TextEmbedder) -> list[str]:
    """Fix what `checkup` found that can be fixed here; returns one line per thing done."""
    wanted: dict[str | None, set[str]] = {}
    for finding in checkup.findings:
        wanted.setdefault(finding.repair, set()).update(finding.ids)
    done = []
    catalog = Catalog(home.catalog)
    try:
        if "features" in wanted:
            store_again(catalog, catalog.records(sorted(wanted["features"])), embedder)
            done.append(f"re-stored the features of {len(wanted['features'])} creator(s)")
        if "orphans" in wanted:
            catalog.delete_fraud_scores(sorted(wanted["orphans"]))
            done.append(f"removed {len(wanted['orphans'])} fraud report(s) of deleted creators")
        rescore = wanted.get("scores", set()) | wanted.get("features", set())
        if rescore:
            refresh_scores(home, catalog, sorted(rescore))
            done.append(f"scored {len(rescore)} creator(s)")
        if "index" in wanted or "features" in wanted:
            manifest: dict[str, Any] = build_index(home, catalog, embedder)
            done.append(f"rebuilt the index from the catalog: {manifest['count']} creators")
    finally:
        catalog.close()
    return done
