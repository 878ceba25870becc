"""`creatormatch bench accounts`: fake-account scoring throughput, accounts per second.

The accounts are rows of the real labelled sets in ../shared/data (InstaFake, Kaggle, ig_PD),
drawn with replacement up to N, with a username each. Rows:
- `score_accounts` on a frame of text cells (what a CSV read gives), the model alone;
- `creatormatch score accounts` from a CSV file and from a Parquet file to a file of the same
  kind (read, validate, score, fields used, write), one process;
- with `--workers N`: the CSV run on N local Dask worker processes (the scale extra).
Uses the home's account model, or fits one on the same sets. The load average and CPU seconds
are printed beside wall times: on the shared 2-core machine wall times move with others' load.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from creatormatch.bench.fraud import timed
from creatormatch.core import InvalidInput


def accounts(n: int, seed: int) -> pd.DataFrame:
    """n rows of the public labelled sets (canonical columns, label dropped) with usernames."""
    from creatormatch.features import LABEL
    from creatormatch.training import default_data_dir, load_sets

    data = default_data_dir()
    if data is None:
        raise InvalidInput("expected the public account sets in ../shared/data, found none")
    pooled = pd.concat(load_sets(data).values(), ignore_index=True)
    rows = np.random.default_rng(seed).integers(0, len(pooled), n)
    frame = pooled.iloc[rows].drop(columns=[LABEL]).reset_index(drop=True)
    frame.insert(0, "username", [f"user{i:08d}" for i in range(n)])
    return frame


def _home(directory: Path, model_dir: Path | None) -> str:
    """A home holding the account model to bench: the given one, or one fitted on `frame`."""
    from creatormatch.features import LABEL, account_features
    from creatormatch.models import AccountModel
    from creatormatch.training import default_data_dir, load_sets

    target = directory / "models" / "account"
    if model_dir is not None and (model_dir / "manifest.json").is_file():
        AccountModel.load(model_dir)[0].save(target)
        return f"home model {model_dir}"
    data = default_data_dir()
    if data is None:
        raise InvalidInput("expected the public account sets in ../shared/data, found none")
    pooled = pd.concat(load_sets(data).values(), ignore_index=True)
    AccountModel().fit(account_features(pooled), pooled[LABEL]).save(target)
    return f"fitted on the {len(pooled):,} labelled accounts (no account model in the home)"


def main(*, n: int, seed: int, model_dir: Path | None, workers: int | None) -> int:
    from creatormatch.core import Home
    from creatormatch.matching import dask_client, score_file
    from creatormatch.models import AccountModel, score_accounts

    frame = accounts(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = _home(work, model_dir)
        print(f"{n:,} accounts from the public labelled sets; {source}")
        home = Home(work)
        model, _ = AccountModel.load(home.model_dir("account"))
        frame.to_csv(work / "in.csv", index=False)
        frame.to_parquet(work / "in.parquet")
        text = pd.read_csv(work / "in.csv", dtype=str, keep_default_na=False)
        load_before = os.getloadavg()[0]
        _, *alone = timed(lambda: score_accounts(text, model))
        _, *csv = timed(lambda: score_file("accounts", home, work / "in.csv", work / "out.csv"))
        _, *parquet = timed(
            lambda: score_file("accounts", home, work / "in.parquet", work / "out.parquet")
        )
        rows = {
            "score_accounts (text cells)": (n, *alone),
            "score accounts: CSV → CSV": (n, *csv),
            "score accounts: Parquet → Parquet": (n, *parquet),
        }
        if workers:
            with dask_client(workers=workers, scheduler=None) as client:
                _, wall, _ = timed(
                    lambda: score_file(
                        "accounts", home, work / "in.csv", work / "out.csv", client=client
                    )
                )
            rows[f"score accounts: CSV → CSV, {workers} Dask workers"] = (n, wall, float("nan"))
    load_after = os.getloadavg()[0]
    print(f"{'stage':<48} {'accounts':>10} {'wall s':>8} {'cpu s':>8} {'accounts/s':>11}")
    for stage, (count, wall, cpu) in rows.items():
        print(f"{stage:<48} {count:>10,} {wall:>8.2f} {cpu:>8.2f} {count / wall:>11,.0f}")
    print(f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores")
    print(json.dumps({
        "accounts": n,
        "model_per_s": round(n / alone[0], 1),
        "csv_file_per_s": round(n / csv[0], 1),
        "parquet_file_per_s": round(n / parquet[0], 1),
        "csv_file_per_cpu_s": round(n / csv[1], 1),
        "workers_per_s": round(n / rows[f"score accounts: CSV → CSV, {workers} Dask workers"][1], 1)
        if workers else None,
        "load_1m": [round(load_before, 2), round(load_after, 2)],
        "seconds": {k: round(wall, 3) for k, (_, wall, _) in rows.items()},
    }))  # fmt: skip
    return 0
