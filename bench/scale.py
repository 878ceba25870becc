"""`creatormatch bench scale`: the same work on 1 and on 2 local Dask workers, and the ratio.

Three rows per worker count, each on the same data:
- score fraud: `creatormatch score fraud` of a JSONL file of N world creators (parse, validate,
  signals, model, reasons; one writer) through `score_file` with a LocalCluster client;
- score accounts: `creatormatch score accounts` of a CSV of N × 40 sampled accounts;
- ingest: `ingest_file` with validation and features on the workers (`--embedder` stand-in by
  default: MiniLM alone is measured by `bench ingest`), the catalog written by this process.
Also `fraud_on_workers`, used by `bench fraud --workers`: batch fraud scoring of records built
on each worker before the clock starts, so only scoring is timed.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from creatormatch.bench.fraud import BASE_CREATORS, model_for, records, score_all

_built: dict[str, Any] = {}  # per worker process: its share of the records and the model


def _prepare(
    creators: int, seed: int, model_dir: str, addresses: list[str], dask_worker: Any = None
) -> int:
    from creatormatch.matching.batch import CHUNKS
    from creatormatch.models import FraudModel

    built, _ = records(creators, seed)
    chunk, share = CHUNKS["fraud"], addresses.index(dask_worker.address)
    starts = range(share * chunk, creators, len(addresses) * chunk)
    _built["records"] = [r for s in starts for r in built[s : s + chunk]]
    _built["model"] = FraudModel.load(Path(model_dir))[0]
    return len(_built["records"])


def _score_share() -> int:
    from creatormatch.matching.batch import CHUNKS

    return score_all(_built["model"], _built["records"], CHUNKS["fraud"])


def fraud_on_workers(workers: int, *, creators: int, seed: int, model_dir: Path | None) -> float:
    """Wall seconds for `workers` local Dask workers to batch-score `creators` records, each its
    share of the chunks, the records and model loaded on the workers beforehand."""
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        if model_dir is None or not (model_dir / "manifest.json").is_file():
            built, labels = records(min(creators, BASE_CREATORS), seed)
            model_for(None, built, labels)[0].save(Path(tmp) / "fraud")
            model_dir = Path(tmp) / "fraud"
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
        with cluster, Client(cluster) as client:
            addresses = sorted(client.scheduler_info()["workers"])
            client.run(_prepare, creators, seed, str(model_dir), addresses)
            start = time.perf_counter()
            client.run(_score_share)
            return time.perf_counter() - start


def main(*, creators: int, seed: int, workdir: Path | None) -> int:
    raise NotImplementedError


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value)


def _load() -> float:
    return os.getloadavg()[0]
