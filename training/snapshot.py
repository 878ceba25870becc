"""The training snapshot: a compact summary of the data the champions were trained on, which
`creatormatch monitor` compares today's catalog and requests with.

One JSON file, `<home>/reports/training_snapshot.json` (tens of kilobytes): a `Reference`
(decile bins, missing share, percentiles) per catalog feature and per model score, the share of
creators missing each kind of evidence, the centroid of the creators' content vectors and of the
campaign briefs with the distribution of cosines to each, and the probe briefs the conversion
score is measured on. `write_training_snapshot` runs at the end of `creatormatch train` and
writes a new snapshot only when the home publishes other models than the last snapshot saw: a
refused challenger leaves the champion, and so its snapshot, in place.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from creatormatch.core import Home, NotReady, write_atomic
from creatormatch.features import Brief, Embeddings, TextEmbedder, brief_vectors
from creatormatch.store import Catalog
from creatormatch.training.drift import Reference
from creatormatch.training.observe import Observation, Probes, observe, published_models

FORMAT = 1
MAX_BRIEFS = 500  # campaign briefs summarised (a fixed sample beyond that)
PROBE_BRIEFS = 8  # of which the conversion score is measured on this many


def snapshot_path(home: Home) -> Path:
    return home.reports_dir / "training_snapshot.json"


def centroid(vectors: Embeddings) -> Embeddings:
    """(dim,) the unit mean direction of (n, dim) unit vectors."""
    mean = vectors.mean(axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


@dataclass(frozen=True)
class Direction:
    """A centroid, and the distribution of the cosines of the vectors it summarises to it."""

    centroid: Embeddings  # (dim,)
    cosine: Reference

    @classmethod
    def of(cls, vectors: Embeddings) -> Direction:
        middle = centroid(vectors)
        return cls(middle, Reference.of(vectors @ middle))

    def to_json(self) -> dict[str, Any]:
        return {"centroid": _rounded(self.centroid), "cosine": self.cosine.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Direction:
        return cls(np.asarray(data["centroid"], np.float32), Reference.from_json(data["cosine"]))


def _rounded(vector: Embeddings) -> list[float]:
    return [round(float(x), 6) for x in vector]


@dataclass(frozen=True)
class Snapshot:
    created: str  # ISO 8601, UTC
    models: dict[str, str]  # model name → artifact id served when it was taken
    embedder: str  # model id of the text vectors (content and briefs)
    creators: int
    features: dict[str, Reference]
    scores: dict[str, Reference]
    evidence: dict[str, float]
    content: Direction
    briefs: Direction | None  # the campaign briefs; None without outcomes
    probes: Probes

    @property
    def dimension(self) -> int:
        return int(self.content.centroid.shape[0])

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "created": self.created, "models": self.models,
            "embedder": self.embedder, "creators": self.creators,
            "features": {k: v.to_json() for k, v in self.features.items()},
            "scores": {k: v.to_json() for k, v in self.scores.items()},
            "evidence": self.evidence, "content": self.content.to_json(),
            "briefs": None if self.briefs is None else self.briefs.to_json(),
            "probes": [
                {"brief": b.model_dump(mode="json"), "vector": _rounded(v)}
                for b, v in zip(self.probes.briefs, self.probes.vectors, strict=True)
            ],
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        probes = data["probes"]
        vectors = np.asarray([p["vector"] for p in probes], dtype=np.float32)
        return cls(
            created=data["created"], models=data["models"], embedder=data["embedder"],
            creators=data["creators"],
            features={k: Reference.from_json(v) for k, v in data["features"].items()},
            scores={k: Reference.from_json(v) for k, v in data["scores"].items()},
            evidence=data["evidence"], content=Direction.from_json(data["content"]),
            briefs=None if data["briefs"] is None else Direction.from_json(data["briefs"]),
            probes=Probes([Brief.model_validate(p["brief"]) for p in probes], vectors),
        )  # fmt: skip


def campaign_briefs(catalog: Catalog) -> list[Brief]:
    """One brief per campaign of the catalog's outcomes, by campaign id (a fixed sample of
    MAX_BRIEFS when there are more)."""
    by_campaign = {o.campaign_id: o.brief for o in catalog.outcomes() if o.brief is not None}
    briefs = [by_campaign[c] for c in sorted(by_campaign)]
    if len(briefs) <= MAX_BRIEFS:
        return briefs
    keep = np.random.default_rng(0).choice(len(briefs), size=MAX_BRIEFS, replace=False)
    return [briefs[i] for i in sorted(keep)]


def _summary(observation: Observation, **parts: Any) -> Snapshot:
    return Snapshot(
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        models=observation.models,
        creators=len(observation.features),
        features={str(c): Reference.of(observation.features[c]) for c in observation.features},
        scores={k: Reference.of(v) for k, v in observation.scores.items() if len(v)},
        evidence=observation.evidence,
        content=Direction.of(observation.content),
        **parts,
    )


def take_snapshot(home: Home, catalog: Catalog, embedder: TextEmbedder) -> Snapshot:
    """Summarise the catalog, its scores by the published models, and the campaign briefs."""
    briefs = campaign_briefs(catalog)
    vectors = brief_vectors(embedder, [b.text for b in briefs]) if briefs else None
    step = max(len(briefs) // PROBE_BRIEFS, 1)
    picked = list(range(0, len(briefs), step))[:PROBE_BRIEFS]
    probes = Probes(
        [briefs[i] for i in picked],
        vectors[picked] if vectors is not None else np.zeros((0, embedder.dimension), np.float32),
    )
    observation = observe(home, catalog, dimension=embedder.dimension, probes=probes)
    return _summary(
        observation,
        embedder=embedder.model_id,
        briefs=None if vectors is None else Direction.of(vectors),
        probes=probes,
    )


def read_snapshot(home: Home) -> Snapshot | None:
    """The home's training snapshot, None when there is none; NotReady when it is unreadable."""
    path = snapshot_path(home)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"expected format {FORMAT}, got {data.get('format')!r}")
        return Snapshot.from_json(data)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise NotReady(
            f"the training snapshot {path} is unreadable ({error}): run `creatormatch train`, "
            "which replaces it"
        ) from error


def load_snapshot(home: Home) -> Snapshot:
    """The home's training snapshot; NotReady, naming `creatormatch train`, when there is none."""
    snapshot = read_snapshot(home)
    if snapshot is None:
        raise NotReady(
            f"no training snapshot in {home.reports_dir}: nothing to compare the catalog with. "
            "Run `creatormatch train`: it records what the models were trained on when it "
            "promotes them"
        )
    return snapshot


def _snapshot_models(home: Home) -> dict[str, str] | None:
    """The models the last snapshot saw; None when there is no readable snapshot."""
    try:
        previous = read_snapshot(home)
    except NotReady:
        return None
    return None if previous is None else previous.models


def write_training_snapshot(home: Home, *, embedder: TextEmbedder) -> Path | None:
    """Take and write the snapshot when the published models changed since the last one (or
    there is none); its path, or None when the last snapshot still describes the champions."""
    if _snapshot_models(home) == published_models(home):
        return None
    catalog = Catalog(home.catalog)
    try:
        snapshot = take_snapshot(home, catalog, embedder)
    finally:
        catalog.close()
    path = snapshot_path(home)
    write_atomic(path, json.dumps(snapshot.to_json(), allow_nan=False).encode())
    return path
