"""API fixtures: a private copy of the small hashing home, keys for two tenants (acme may write
the shared catalog, globex only read it), a client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home, Settings
from creatormatch.features import (
    EngagementBenchmark,
    account_features,
    benchmark_frame,
    fraud_signal_frame,
)
from creatormatch.models import FRAUD_PARAMS, AccountModel
from creatormatch.serving import create_app
from creatormatch.store import Catalog, TenantStore, refresh_scores
from creatormatch.training import train_fraud
from tests.conftest import niche_records


@dataclass(frozen=True)
class Keys:
    acme: str
    globex: str


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def copy_home(source: Home, target: Path) -> Home:
    shutil.copytree(source.root, target)
    return Home(target)


def make_keys(home: Home) -> Keys:
    store = TenantStore.of(home)
    try:
        acme = store.create_key("acme", scope="write")[1]  # the tests' writer
        return Keys(acme=acme, globex=store.create_key("globex")[1])
    finally:
        store.close()


@pytest.fixture()
def home(hashing_home: Home, tmp_path: Path) -> Home:
    """A writable copy of the 90-creator hashing home (tests here upsert and delete)."""
    return copy_home(hashing_home, tmp_path / "home")


@pytest.fixture()
def keys(home: Home) -> Keys:
    return make_keys(home)


def settings_of(home: Home, **overrides: Any) -> Settings:
    """The hashing home's settings with `overrides`; no background reloads unless asked for:
    tests call `state.reload()` when they mean to."""
    quiet = {"reload_interval_s": 0}
    return Settings(home=home.root, embedder="hashing", **{**quiet, **overrides})


def open_client(home: Home, **settings: Any) -> TestClient:
    return TestClient(create_app(settings_of(home, **settings)), raise_server_exceptions=False)


@pytest.fixture()
def client(home: Home, keys: Keys) -> Iterator[TestClient]:
    """Authenticated as tenant acme by default."""
    with open_client(home) as client:
        client.headers.update(bearer(keys.acme))
        yield client


def error_of(response: object, status: int, kind: str) -> dict:
    """The one error shape: {"error": {"type", "message", "fields"}} with this status and type."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message", "fields"}
    assert body["error"]["type"] == kind and body["error"]["message"]
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    return body["error"]


def train_small_models(home: Home) -> None:
    """Tiny models: enough to exercise the routes, not to judge quality. Fraud is planted on one
    signal (the top 30 % in likes per comment) so that validation supports the risk bands."""
    rng = np.random.default_rng(0)
    records = niche_records(200, seed=1)
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    fraud = (frame["likes_per_comment"] >= frame["likes_per_comment"].quantile(0.7)).to_numpy()
    labels = pd.DataFrame(
        {"creator_id": [r.creator_id for r in records], "is_fraud": fraud,
         "archetype": np.where(fraud, "bought_followers", "none")}
    )  # fmt: skip
    model, metrics = train_fraud(frame, labels, benchmark=benchmark,
                                 params=replace(FRAUD_PARAMS, n_estimators=20))  # fmt: skip
    model.save(home.model_dir("fraud"), metadata={"data_hash": "d" * 64, "metrics": metrics})
    n = 400
    accounts = pd.DataFrame(
        {"followers": rng.integers(0, 5_000, n), "following": rng.integers(0, 5_000, n),
         "posts": rng.integers(0, 100, n)}
    )  # fmt: skip
    account = AccountModel()
    account.fit(account_features(accounts), (accounts["posts"] < 20).astype(int))
    account.save(home.model_dir("account"))
    catalog = Catalog(home.catalog)
    refresh_scores(home, catalog, catalog.creator_ids())
    catalog.close()
