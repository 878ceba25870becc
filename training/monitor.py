"""`creatormatch monitor`: today's catalog and recent requests against the training snapshot.

Four kinds of check, each `ok`, `watch` or `drift` (Thresholds, docs/decisions/0017):
- feature: PSI (gates) and KS (reported) of each catalog feature the snapshot summarised;
- score: the same for each model's scores (fraud probability, reach impressions, conversion
  rate of the probe briefs);
- evidence: the share of creators below each evidence minimum, or without an audience;
- embedding: PSI of the cosines to the snapshot's centroid, of the creators' content vectors
  (`catalog_content`) and of the briefs of the last shortlists served (`request_briefs`: saved
  by the API in tenants.db; judged only with at least `RequestWindow.minimum` of them).
The result is kept as JSON (`monitor.json`), which the API's /metrics exposes as gauges.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from creatormatch.core import Home, NotReady
from creatormatch.features import TextEmbedder, brief_vectors
from creatormatch.store import Catalog, TenantStore, store_path
from creatormatch.training.drift import Reference, Status, Thresholds, bin_shares, ks, psi, worst
from creatormatch.training.observe import Observation, evidence_meaning, observe
from creatormatch.training.snapshot import Direction, Snapshot, load_snapshot

Kind = Literal["feature", "score", "evidence", "embedding"]
KINDS: tuple[Kind, ...] = ("feature", "score", "evidence", "embedding")
RESULT = "monitor.json"


def monitor_dir(home: Home) -> Path:
    return home.reports_dir / "monitor"


def monitor_json(home: Home) -> Path:
    """The last run's result, which /metrics exposes."""
    return monitor_dir(home) / RESULT


def _number(value: float | None) -> float | None:
    """JSON has no NaN: a value that is not finite is written as null."""
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class Check:
    kind: Kind
    name: str
    status: Status
    psi: float | None = None
    ks: float | None = None
    reference: float | None = None  # median (feature, score, embedding cosine), share (evidence)
    current: float | None = None
    # Share per bin of the reference, then of today, the missing share last (plots read them).
    shares: tuple[list[float], list[float]] | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("psi", "ks", "reference", "current"):
            data[key] = _number(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Check:
        shares = data.get("shares")
        return cls(**{**data, "shares": None if shares is None else (shares[0], shares[1])})


def distribution_check(
    kind: Kind, name: str, reference: Reference, values: npt.ArrayLike, thresholds: Thresholds
) -> Check:
    """PSI (which sets the status), KS and medians of `values` against `reference`."""
    value = psi(reference, values)
    today, missing = bin_shares(reference, values)
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return Check(
        kind,
        name,
        thresholds.of_psi(value),
        psi=value,
        ks=ks(reference, values),
        reference=reference.median(),
        current=float(np.median(finite)) if finite.size else float("nan"),
        shares=([*reference.shares, reference.missing], [*today.tolist(), missing]),
    )


def feature_checks(snapshot: Snapshot, now: Observation, thresholds: Thresholds) -> list[Check]:
    checks = []
    for name, reference in snapshot.features.items():
        if name in now.features:
            checks.append(
                distribution_check("feature", name, reference, now.features[name], thresholds)
            )
        else:  # a feature the code no longer computes reads as missing everywhere
            values = np.full(len(now.features), np.nan)
            gone = distribution_check("feature", name, reference, values, thresholds)
            checks.append(_noted(gone, "no longer computed: every value missing"))
    return checks


def _noted(check: Check, note: str) -> Check:
    return Check(**{**asdict(check), "note": note})


def score_checks(snapshot: Snapshot, now: Observation, thresholds: Thresholds) -> list[Check]:
    checks = []
    for name, reference in snapshot.scores.items():
        if name in now.scores and len(now.scores[name]):
            checks.append(
                distribution_check("score", name, reference, now.scores[name], thresholds)
            )
        else:
            checks.append(Check("score", name, "watch", note="the model is no longer published"))
    return checks


def evidence_checks(snapshot: Snapshot, now: Observation, thresholds: Thresholds) -> list[Check]:
    return [
        Check(
            "evidence",
            kind,
            thresholds.of_missing(share, now.evidence[kind]),
            reference=share,
            current=now.evidence[kind],
            note=evidence_meaning(kind),
        )
        for kind, share in snapshot.evidence.items()
        if kind in now.evidence
    ]


def direction_check(
    name: str, direction: Direction, vectors: npt.NDArray[np.float32], thresholds: Thresholds
) -> Check:
    """The cosines of (n, dim) unit `vectors` to the snapshot's centroid, against theirs."""
    return distribution_check(
        "embedding", name, direction.cosine, vectors @ direction.centroid, thresholds
    )


@dataclass(frozen=True)
class RequestWindow:
    """Where recent briefs come from and how many make a judgement."""

    limit: int = 1_000  # the last shortlists read
    minimum: int = 30  # fewer briefs than this are reported, not judged


def recent_brief_texts(home: Home, limit: int) -> list[str]:
    """Brief texts of the last `limit` shortlists the API served (none when it never ran)."""
    if not store_path(home).is_file():
        return []
    store = TenantStore.of(home)
    try:
        return [str(brief["text"]) for brief in store.recent_briefs(limit)]
    finally:
        store.close()


def request_check(
    snapshot: Snapshot,
    texts: list[str],
    load_embedder: Callable[[], TextEmbedder],
    requests: RequestWindow,
    thresholds: Thresholds,
) -> Check:
    name = "request_briefs"
    if snapshot.briefs is None:
        return Check("embedding", name, "ok", note="no campaign briefs at training to compare")
    if len(texts) < requests.minimum:
        return Check(
            "embedding",
            name,
            "ok",
            note=f"{len(texts)} recent requests; {requests.minimum} needed to judge",
        )
    embedder = load_embedder()
    if embedder.model_id != snapshot.embedder:
        note = f"requests embedded by {embedder.model_id}, the snapshot by {snapshot.embedder}"
        return Check("embedding", name, "watch", note=note)
    check = direction_check(name, snapshot.briefs, brief_vectors(embedder, texts), thresholds)
    return _noted(check, f"{len(texts)} recent requests")


@dataclass(frozen=True)
class MonitorResult:
    created: str  # ISO 8601, UTC
    status: Status
    thresholds: Thresholds
    snapshot: dict[str, Any]  # created, models, creators of the training snapshot
    served: dict[str, str]  # model name → artifact id published now
    creators: int
    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    def failing(self, status: Status = "drift") -> list[Check]:
        return [c for c in self.checks if c.status == status]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "checks": [c.to_json() for c in self.checks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonitorResult:
        return cls(
            **{
                **data,
                "thresholds": Thresholds(**data["thresholds"]),
                "checks": [Check.from_json(c) for c in data["checks"]],
            }
        )


def _notes(snapshot: Snapshot, served: dict[str, str]) -> list[str]:
    changed = sorted(
        n for n in set(snapshot.models) | set(served) if snapshot.models.get(n) != served.get(n)
    )
    if not changed:
        return []
    return [
        f"the home serves other models than the snapshot saw ({', '.join(changed)}): score "
        "drift then mixes a model change with a data change"
    ]


def run_monitor(
    home: Home,
    *,
    load_embedder: Callable[[], TextEmbedder],
    thresholds: Thresholds,
    requests: RequestWindow,
) -> MonitorResult:
    """Compare the home's catalog and recent requests with its training snapshot."""
    snapshot = load_snapshot(home)
    if not home.catalog.is_file():
        raise NotReady(f"no catalog in {home.root}: run `creatormatch ingest FILE` first")
    catalog = Catalog(home.catalog)
    try:
        now = observe(home, catalog, dimension=snapshot.dimension, probes=snapshot.probes)
    finally:
        catalog.close()
    checks = [
        *feature_checks(snapshot, now, thresholds),
        *score_checks(snapshot, now, thresholds),
        *evidence_checks(snapshot, now, thresholds),
        direction_check("catalog_content", snapshot.content, now.content, thresholds),
        request_check(
            snapshot, recent_brief_texts(home, requests.limit), load_embedder, requests, thresholds
        ),
    ]
    return MonitorResult(
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        status=worst([c.status for c in checks]),
        thresholds=thresholds,
        snapshot={
            "created": snapshot.created,
            "models": snapshot.models,
            "creators": snapshot.creators,
        },
        served=now.models,
        creators=len(now.features),
        checks=checks,
        notes=_notes(snapshot, now.models),
    )


def read_monitor(path: Path) -> MonitorResult:
    return MonitorResult.from_json(json.loads(path.read_text(encoding="utf-8")))
