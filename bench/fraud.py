"""`creatormatch bench fraud`: batch fraud-scoring throughput, creators per second.

What is timed is what `creatormatch score fraud` does with validated records: the fraud model's
signals, probability and band of every creator, and the reasons of the flagged ones (the
evidence they cite included), in chunks of the command's size. Rows:
- plain path: `FraudModel.reports` (signals record by record, TreeSHAP of every flagged row), on
  a sample of PLAIN_SAMPLE creators;
- batch path (`BatchFraudScorer`), its stages, and its total over all N creators;
- with `--workers N`: the same total on N local Dask worker processes (the scale extra), each
  scoring its share of the chunks on records built there before the clock starts.
The records are a synthetic world of at most BASE_CREATORS distinct creators, repeated under new
ids up to N; a chunk never holds a creator twice. Uses the home's fraud model, or fits one on the
base world. The shared machine's load changes wall times: the load average and the process's CPU
seconds are printed with them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from creatormatch.features import CreatorRecord
    from creatormatch.models import FraudModel

T = TypeVar("T")

BASE_CREATORS = 10_000
PLAIN_SAMPLE = 5_000


def timed(step: Callable[[], T]) -> tuple[T, float, float]:
    """(result, wall seconds, CPU seconds of this process, all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = step()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def records(n: int, seed: int) -> tuple[list[CreatorRecord], pd.DataFrame]:
    """n records (distinct up to BASE_CREATORS, then repeated under new ids) and base labels."""
    from creatormatch.world import synthetic_fraud_data

    base, labels = synthetic_fraud_data(
        seed=seed, n_creators=min(n, BASE_CREATORS), intensities=(1.0,)
    )
    out = [base[i % len(base)].model_copy(update={"creator_id": f"b{i:07d}"}) for i in range(n)]
    return out, labels.assign(creator_id=[r.creator_id for r in out[: len(base)]])


def model_for(
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


def score_all(model: FraudModel, records: list[CreatorRecord], chunk: int) -> int:
    """Score `records` chunk by chunk as `score fraud` does; returns how many were flagged."""
    from creatormatch.models import LOW, BatchFraudScorer

    scorer = BatchFraudScorer(model)
    flagged = 0
    for start in range(0, len(records), chunk):
        scores = scorer.score(records[start : start + chunk])
        flagged += sum(band != LOW for band in scores.band)
    return flagged


def _stages(model: FraudModel, sample: list[CreatorRecord]) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of the batch path's stages on one chunk."""
    from creatormatch.core import NotFitted
    from creatormatch.features import fraud_signal_batch
    from creatormatch.models import TreeExplainer

    benchmark = model.benchmark_
    if benchmark is None:
        raise NotFitted("the fraud model was saved without its benchmark: retrain it")
    batch, *features = timed(lambda: fraud_signal_batch(sample, benchmark=benchmark))
    X = batch.frame.loc[:, model.feature_names_in_]
    p, *proba = timed(lambda: model.predict_proba(X))
    _, *band = timed(lambda: model.risk_band(p, batch.context))
    rows = np.flatnonzero(p >= min(model.thresholds_.values()))
    explainer = TreeExplainer(model.booster_.booster_)
    _, *shap = timed(lambda: explainer.contributions(X.iloc[rows].to_numpy(dtype=np.float64)))
    _, *evidence = timed(lambda: [batch.evidence(int(i)) for i in rows])
    parts = {
        "  signals (fraud_signal_batch)": features,
        "  probability (predict_proba)": proba,
        "  band (risk_band)": band,
        f"  TreeSHAP of the {rows.size:,} flagged": shap,
        "  evidence of the flagged": evidence,
    }
    return {name: (wall, cpu) for name, (wall, cpu) in parts.items()}


def table(rows: dict[str, tuple[int, float, float]]) -> str:
    lines = [f"{'stage':<40} {'creators':>9} {'wall s':>8} {'cpu s':>8} {'creators/s':>11}"]
    for stage, (n, wall, cpu) in rows.items():
        lines.append(f"{stage:<40} {n:>9,} {wall:>8.2f} {cpu:>8.2f} {n / wall:>11,.0f}")
    return "\n".join(lines)


def main(*, creators: int, seed: int, model_dir: Path | None, workers: int | None) -> int:
    from creatormatch.matching.batch import CHUNKS

    chunk = CHUNKS["fraud"]
    (built, labels), gen_s, _ = timed(lambda: records(creators, seed))
    model, source = model_for(model_dir, built, labels)
    print(f"{creators:,} creators ({len(labels):,} distinct, built in {gen_s:.0f} s); {source}")
    sample = built[: min(PLAIN_SAMPLE, creators)]
    load_before = os.getloadavg()[0]
    _, plain_wall, plain_cpu = timed(lambda: model.reports(sample))
    stages = _stages(model, built[: min(chunk, creators)])
    flagged, total_wall, total_cpu = timed(lambda: score_all(model, built, chunk))
    rows: dict[str, tuple[int, float, float]] = {
        "plain path (FraudModel.reports)": (len(sample), plain_wall, plain_cpu),
        **{name: (min(chunk, creators), wall, cpu) for name, (wall, cpu) in stages.items()},
        "batch path, 1 process": (creators, total_wall, total_cpu),
    }
    if workers:
        from creatormatch.bench.scale import fraud_on_workers

        wall = fraud_on_workers(workers, creators=creators, seed=seed, model_dir=model_dir)
        rows[f"batch path, {workers} Dask workers"] = (creators, wall, float("nan"))
    load_after = os.getloadavg()[0]
    print(table(rows))
    print(f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores")
    print(json.dumps({
        "creators": creators,
        "distinct": len(labels),
        "flagged_share": round(flagged / creators, 3),
        "plain_per_s": round(len(sample) / plain_wall, 1),
        "features_and_scoring_per_s": round(creators / total_wall, 1),
        "features_and_scoring_per_cpu_s": round(creators / total_cpu, 1),
        "workers_per_s": round(creators / rows[f"batch path, {workers} Dask workers"][1], 1)
        if workers else None,
        "load_1m": [round(load_before, 2), round(load_after, 2)],
        "seconds": {k.strip(): round(wall, 3) for k, (_, wall, _) in rows.items()},
    }))  # fmt: skip
    return 0
