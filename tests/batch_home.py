"""A home for batch-scoring tests: a fraud model trained on a synthetic world with audience
quality, an account model fitted on the real Kaggle set, and input files of both kinds."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from creatormatch.core import Home
from creatormatch.features import (
    LABEL,
    EngagementBenchmark,
    account_features,
    benchmark_frame,
    fraud_signal_frame,
)
from creatormatch.matching import CreatorIndex
from creatormatch.models import FRAUD_PARAMS, AccountModel
from creatormatch.store import Catalog, quality_frame
from creatormatch.training import default_data_dir, load_sets, train_fraud
from creatormatch.world import WorldParams, generate_world, synthetic_fraud_data


@dataclass(frozen=True)
class BatchHome:
    home: Home
    creators: Path  # JSONL: world creators and a few bad lines
    accounts: pd.DataFrame  # real accounts (Kaggle test set) and a few invalid rows


def _accounts(data: Path) -> pd.DataFrame:
    real = load_sets(data)["kaggle_test"].drop(columns=[LABEL]).head(200)
    real.insert(0, "username", [f"acct{i}" for i in range(len(real))])
    bad = pd.DataFrame(
        {"username": ["neg", "word", "flag", "empty"], "followers": [-5, "many", 10, None],
         "is_private": [0, 1, "maybe", None]}
    )  # fmt: skip
    frame = pd.concat([real.astype(object), bad], ignore_index=True)
    return frame.astype(object).where(frame.notna(), None)


def build_batch_home(root: Path, *, creators: int = 240) -> BatchHome:
    data = default_data_dir()
    assert data is not None, "the real account sets are expected in ../shared/data"
    home = Home(root / "home")
    kaggle = load_sets(data)["kaggle"]
    account = AccountModel().fit(account_features(kaggle), kaggle[LABEL])
    account.save(home.model_dir("account"))
    records, labels = synthetic_fraud_data(seed=5, n_creators=700, intensities=(1.0, 0.5))
    quality = quality_frame(records, account)
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark, quality=quality)
    params = replace(FRAUD_PARAMS, n_estimators=120, learning_rate=0.1)
    model, _ = train_fraud(frame, labels, params=params, benchmark=benchmark)
    model.save(home.model_dir("fraud"))
    world = generate_world(WorldParams(seed=9, n_creators=creators))
    lines = [json.dumps(raw, default=str) for raw in world.records()]
    lines[3:3] = ["{not json", json.dumps({"creator_id": "neg", "followers": -1}), ""]
    lines.append(json.dumps({"creator_id": "bare"}))
    path = root / "creators.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return BatchHome(home, path, _accounts(data))


def assert_same_scores(got: pd.DataFrame, expected: pd.DataFrame, *, key: str) -> None:
    """Identical ids (in order), bands, reasons and errors; probabilities within 1e-9."""
    assert got[key].tolist() == expected[key].tolist()
    np.testing.assert_allclose(
        got["probability"].astype(float), expected["probability"].astype(float), rtol=0, atol=1e-9
    )
    for column in set(got.columns) - {key, "probability"}:
        assert got[column].tolist() == expected[column].tolist(), column


def read_scores(path: Path) -> pd.DataFrame:
    """An output file as a frame: lists as lists, every missing cell None."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        lists = {c: frame[c].map(list) for c in ("reasons", "fields_used") if c in frame.columns}
        frame = frame.assign(**lists)
    elif path.suffix == ".csv":
        frame = pd.read_csv(path, dtype={"line": int}, keep_default_na=False)
        lists = {c: frame[c].map(json.loads) for c in ("reasons", "fields_used") if c in frame}
        frame = frame.assign(**lists).replace({"": None})
    else:
        frame = pd.read_json(path, lines=True, dtype=False)
    return frame.astype(object).where(frame.notna(), None).astype({"line": int})


def catalog_contents(home: Home) -> dict[str, object]:
    """Everything an ingest stores, comparable across homes."""
    catalog = Catalog(home.catalog)
    try:
        ids = catalog.creator_ids()
        hashes = catalog.content_hashes(ids)
        return {
            "records": catalog.records(ids),
            "record hashes": catalog.stored_hashes(ids),
            "content hashes": hashes,
            "features": catalog.features(ids).fillna(-1.0).to_dict("index"),  # NaN != NaN
            "audience": {k: v.tolist() for k, v in catalog.audience_vectors(ids).items()},
            "vectors": {k: v.tolist() for k, v in catalog.cached_vectors(hashes.values()).items()},
            "indexed": sorted(CreatorIndex.load(home.index_dir).items_["creator_id"]),
        }
    finally:
        catalog.close()
