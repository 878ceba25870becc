"""Reload without downtime: verified, canaried, swapped atomically; a bad one is refused."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home, Settings, publish, verify
from creatormatch.features import CreatorRecord, load_embedder
from creatormatch.matching import build_index, ingest_records, shortlist
from creatormatch.serving import CANARY
from creatormatch.store import Catalog
from creatormatch.training import (
    log_and_register,
    mark_published,
    promote,
    published_version,
    versions,
)
from tests.serving.conftest import Keys, bearer, open_client, train_small_models


def _publish_a_new_snapshot_with(home: Home, creator_id: str) -> None:
    """What `creatormatch ingest` does in another process: store, rebuild and publish."""
    embedder = load_embedder("hashing")
    catalog = Catalog(home.catalog)
    record = CreatorRecord(creator_id=creator_id, handle="late", bio="pottery clay wheel glaze")
    ingest_records(catalog, [record], embedder=embedder)
    build_index(home, catalog, embedder)
    catalog.close()


def test_a_new_index_snapshot_is_swapped_in_and_requests_in_flight_keep_the_old(
    client: TestClient, home: Home
) -> None:
    state = client.app.state.service  # type: ignore[attr-defined]
    before = state.require()
    _publish_a_new_snapshot_with(home, "late1")
    assert state.stale()
    assert state.reload() is True
    after = state.require()
    assert len(after.bundle.index) == 91 and len(before.bundle.index) == 90
    assert shortlist(before.bundle, CANARY).items  # an old snapshot still answers
    assert client.get("/v1/creators/late1").status_code == 200
    assert not state.stale()


def test_a_corrupt_snapshot_is_refused_the_old_one_serves_and_the_failure_is_reported(
    client: TestClient, home: Home
) -> None:
    state = client.app.state.service  # type: ignore[attr-defined]
    _publish_a_new_snapshot_with(home, "late2")
    (home.index_dir / "index.faiss").write_bytes(b"tampered")
    assert state.reload() is False
    assert len(state.require().bundle.index) == 90
    body = client.get("/v1/models").json()
    assert "sha256" in body["reload_error"]
    assert client.get("/health/ready").json()["detail"] == body["reload_error"]
    assert client.post("/v1/shortlists", json={"brief": "pasta"}).status_code == 200


def test_the_watcher_reloads_by_itself_when_an_artifact_is_republished(
    home: Home, keys: Keys
) -> None:
    import time

    with open_client(home, reload_interval_s=0.05) as client:
        _publish_a_new_snapshot_with(home, "late3")
        state = client.app.state.service  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while len(state.require().bundle.index) != 91 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(state.require().bundle.index) == 91
        hits = client.post("/v1/shortlists", json={"brief": "pottery clay wheel glaze", "k": 1},
                           headers=bearer(keys.acme)).json()  # fmt: skip
        assert hits["items"][0]["creator_id"] == "late3"
        metrics = client.get("/metrics").text
        assert 'creatormatch_reloads_total{outcome="swapped"} 1.0' in metrics


def test_moving_the_champion_alias_in_mlflow_swaps_the_served_model(home: Home) -> None:
    import time

    train_small_models(home)
    fraud_dir = home.model_dir("fraud")
    manifest = verify(fraud_dir)
    files = {name: (fraud_dir / name).read_bytes() for name in manifest["files"]}
    log_and_register(home, name="fraud", model_dir=fraud_dir, params={}, metrics={})
    retrained = {k: v for k, v in manifest.items() if k != "files"} | {"data_hash": "e" * 64}
    publish(fraud_dir, files, retrained)  # a second training run, on other data
    log_and_register(home, name="fraud", model_dir=fraud_dir, params={}, metrics={})
    mark_published(home, "fraud", 2)

    with open_client(home, reload_interval_s=0.05) as client:
        state = client.app.state.service  # type: ignore[attr-defined]
        assert state.require().bundle.manifests["fraud"]["data_hash"] == "e" * 64
        promote(home, "fraud", 1)  # what an ML engineer does in the MLflow UI
        deadline = time.monotonic() + 20
        while (
            state.require().bundle.manifests["fraud"]["data_hash"] != "d" * 64
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert state.require().bundle.manifests["fraud"]["data_hash"] == "d" * 64
        assert published_version(home, "fraud") == 1
        assert 'creatormatch_reloads_total{outcome="swapped"} 1.0' in client.get("/metrics").text


def test_a_registry_used_in_this_process_is_not_taken_for_the_configured_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert versions(Home(tmp_path).ensure(), "fraud") == []  # mlflow exports the URI it is given
    assert Settings().mlflow_tracking_uri is None  # an app built now follows its own home
