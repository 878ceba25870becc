"""`creatormatch bench fraud`: batch fraud-scoring throughput, creators per second.

Two paths, each timed once over N creators (default 100,000):
- scoring alone: `predict_proba` + `risk_band` + `explain` on a precomputed signal frame;
- features + scoring: `fraud_signal_frame` from the records, then the same scoring.
The records are a synthetic world of at most BASE_CREATORS distinct creators, repeated under new
ids up to N (generating and rendering 100k distinct creators takes longer than scoring them; the
per-creator work is the same). Uses the home's fraud model, or fits one on the base world.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from creatormatch.features import CreatorRecord
    from creatormatch.models import FraudModel

T = TypeVar("T")

BASE_CREATORS = 10_000


def _timed(step: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = step()
    return out, time.perf_counter() - start


def _records(n: int, seed: int) -> tuple[list[CreatorRecord], pd.DataFrame]:
    """n records (distinct up to BASE_CREATORS, then repeated under new ids) and base labels."""
    from creatormatch.world import synthetic_fraud_data

    base, labels = synthetic_fraud_data(
        seed=seed, n_creators=min(n, BASE_CREATORS), intensities=(1.0,)
    )
    records = [base[i % len(base)].model_copy(update={"creator_id": f"b{i:07d}"}) for i in range(n)]
    return records, labels.assign(creator_id=[r.creator_id for r in records[: len(base)]])


def _model(
    home: Path | None, records: list[CreatorRecord], labels: pd.DataFrame
) -> tuple[FraudModel, str]:
    from creatormatch.core import load_published
    from creatormatch.features import EngagementBenchmark, benchmark_frame, fraud_signal_frame
    from creatormatch.models import FraudModel
    from creatormatch.training import train_fraud

    published = None if home is None else load_published(FraudModel.load, home)[0]
    if published is not None:
        return published, f"home model {home}"
    base = records[: len(labels)]
    benchmark = EngagementBenchmark().fit(benchmark_frame(base))
    frame = fraud_signal_frame(base, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, benchmark=benchmark)
    return model, f"fitted on {len(base)} base creators (no fraud model in the home)"


def _score(model: FraudModel, X: pd.DataFrame, evidence: pd.DataFrame) -> dict[str, float]:
    probabilities, proba_s = _timed(lambda: model.predict_proba(X))
    _, band_s = _timed(lambda: model.risk_band(probabilities, evidence))
    _, explain_s = _timed(lambda: model.explain(X))
    return {"predict_proba": proba_s, "risk_band": band_s, "explain": explain_s}


def _table(rows: dict[str, tuple[int, float]]) -> str:
    lines = [f"{'stage':<34} {'creators':>9} {'seconds':>9} {'creators/s':>11}"]
    for stage, (n, seconds) in rows.items():
        lines.append(f"{stage:<34} {n:>9,} {seconds:>9.2f} {n / seconds:>11,.0f}")
    return "\n".join(lines)


def main(*, creators: int, seed: int, model_dir: Path | None) -> int:
    from creatormatch.core import NotReady
    from creatormatch.features import fraud_context, fraud_signal_frame

    (records, labels), gen_s = _timed(lambda: _records(creators, seed))
    model, source = _model(model_dir, records, labels)
    print(f"{creators:,} creators ({len(labels):,} distinct, built in {gen_s:.0f} s); {source}")
    benchmark = model.benchmark_
    if benchmark is None:
        raise NotReady("the home's fraud model was saved without its benchmark: retrain it")
    frame, features_s = _timed(lambda: fraud_signal_frame(records, benchmark=benchmark))
    evidence, evidence_s = _timed(lambda: fraud_context(records))
    features_s += evidence_s
    X = frame.loc[:, model.feature_names_in_]
    parts = _score(model, X, evidence)
    scoring_s = sum(parts.values())
    rows = {f"  {name}": (creators, s) for name, s in parts.items()}
    rows = {
        "scoring alone": (creators, scoring_s),
        **rows,
        "features (fraud_signal_frame)": (creators, features_s),
        "features + scoring": (creators, features_s + scoring_s),
    }
    print(_table(rows))
    print(json.dumps({
        "creators": creators,
        "distinct": len(labels),
        "scoring_per_s": round(creators / scoring_s, 1),
        "features_and_scoring_per_s": round(creators / (features_s + scoring_s), 1),
        "seconds": {k.strip(): round(s, 3) for k, (_, s) in rows.items()},
    }))  # fmt: skip
    return 0
