"""Reload without downtime: verified, canaried, swapped atomically; a bad one is refused, and
nothing the watcher meets stops it."""

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home, IntegrityError, Settings, publish, verify
from creatormatch.features import CreatorRecord, load_embedder
from creatormatch.matching import CreatorIndex, build_index, ingest_records, shortlist
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
        # The watcher counts the swap just after making it: the count may trail the bundle.
        swapped = 'creatormatch_reloads_total{outcome="swapped"} 1.0'
        _until(lambda: swapped in client.get("/metrics").text)


def test_a_registry_used_in_this_process_is_not_taken_for_the_configured_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert versions(Home(tmp_path).ensure(), "fraud") == []  # mlflow exports the URI it is given
    assert Settings().mlflow_tracking_uri is None  # an app built now follows its own home


def _until(done: Callable[[], bool], *, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done()


def _republish_index(home: Home, change: Callable[[bytes], bytes]) -> None:
    """Publish the served index again, its FAISS file passed through `change`: signed and
    with checksums that match, as a buggy writer or a bad disk would leave it."""
    manifest = verify(home.index_dir)
    files = {name: (home.index_dir / name).read_bytes() for name in manifest["files"]}
    files["index.faiss"] = change(files["index.faiss"])
    publish(home.index_dir, files, {k: v for k, v in manifest.items() if k != "files"})


def test_a_corrupt_faiss_header_is_reported_and_the_watcher_loads_the_next_publication(
    home: Home, keys: Keys
) -> None:
    with open_client(home, reload_interval_s=0.05) as client:
        client.headers.update(bearer(keys.acme))
        state = client.app.state.service  # type: ignore[attr-defined]
        _republish_index(home, lambda faiss: b"XXXX" + faiss[4:])  # RuntimeError in FAISS
        _until(lambda: state.reload_error is not None)
        ready = client.get("/health/ready")
        body = ready.json()
        assert ready.status_code == 200 and body["status"] == "degraded"
        error = body["reload_error"]
        assert error.startswith("RuntimeError: ") and "not recognized" in error
        metrics = client.get("/metrics").text
        assert 'creatormatch_reloads_total{outcome="refused"} 1.0' in metrics
        assert "creatormatch_reload_failing 1.0" in metrics
        assert client.post("/v1/shortlists", json={"brief": "pasta"}).status_code == 200

        for n, creator_id in enumerate(("late6", "late7", "late8"), start=91):
            _publish_a_new_snapshot_with(home, creator_id)
            _until(lambda n=n: len(state.require().bundle.index) == n)  # type: ignore[misc]
        assert client.get("/health/ready").json() == {
            "status": "ok", "detail": None, "reload_error": None,
        }  # fmt: skip
        assert client.get("/v1/creators/late8").status_code == 200
        assert "creatormatch_reload_failing 0.0" in client.get("/metrics").text


def test_vectors_flipped_with_the_checksum_rewritten_are_refused_by_the_signature(
    client: TestClient, home: Home
) -> None:
    state = client.app.state.service  # type: ignore[attr-defined]
    path = home.index_dir / "index.faiss"
    raw = bytearray(path.read_bytes())
    raw[-4_000:] = bytes(b ^ 0xFF for b in raw[-4_000:])  # the last vectors, flipped
    path.write_bytes(bytes(raw))
    manifest_path = home.index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["index.faiss"] = hashlib.sha256(raw).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IntegrityError, match="signature does not match this home's key"):
        CreatorIndex.load(home.index_dir)
    assert state.stale() and state.reload() is False
    assert "signature does not match" in client.get("/health/ready").json()["reload_error"]
    assert len(state.require().bundle.index) == 90  # the verified index keeps serving


def test_a_missing_manifest_is_reported_and_the_other_artifacts_still_reload(
    home: Home, keys: Keys
) -> None:
    train_small_models(home)
    with open_client(home, reload_interval_s=0.05) as client:
        state = client.app.state.service  # type: ignore[attr-defined]
        fraud = state.require().bundle.fraud
        assert fraud is not None
        (home.model_dir("fraud") / "manifest.json").unlink()  # killed mid-publication
        _publish_a_new_snapshot_with(home, "late9")
        _until(lambda: len(state.require().bundle.index) == 91)
        assert state.require().bundle.fraud is fraud  # the copy loaded before keeps serving
        body = client.get("/health/ready").json()
        assert body["status"] == "degraded" and body["reload_error"] is None
        assert body["detail"].startswith("fraud: its directory has no manifest.json")
        metrics = client.get("/metrics").text
        assert 'creatormatch_manifest_missing{artifact="fraud"} 1.0' in metrics

        train_small_models(home)  # the same model published again: nothing to reload
        _until(lambda: client.get("/health/ready").json()["status"] == "ok")
        assert state.require().bundle.fraud is fraud


def test_degraded_notes_say_what_a_home_without_fraud_and_account_models_serves(
    home: Home, keys: Keys
) -> None:
    train_small_models(home)  # every creator has a stored fraud score
    for name in ("fraud", "account"):
        shutil.rmtree(home.model_dir(name))
    with open_client(home) as client:
        client.headers.update(bearer(keys.acme))
        body = client.post("/v1/shortlists", json={"brief": "pasta recipes", "k": 3}).json()
        (fraud_note,) = [note for note in body["degraded"] if note.startswith("no fraud model")]
        assert "the score stored when a creator was last scored" in fraud_note
        assert all(item["fraud_probability"] is not None for item in body["items"])
        scored = client.post("/v1/fraud/score", json={"creators": [{"creator_id": "z"}]})
        assert scored.status_code == 503
        state = client.app.state.service  # type: ignore[attr-defined]
        assert any(note.startswith("no account model") for note in state.require().degraded)
        assert client.get("/health/ready").json()["status"] == "ok"  # nothing missing: absent


def test_readiness_shows_no_host_path(client: TestClient, home: Home, anyhome: Home) -> None:
    state = client.app.state.service  # type: ignore[attr-defined]
    (home.index_dir / "index.faiss").write_bytes(b"tampered")
    assert state.reload() is False
    text = client.get("/health/ready").text
    assert "$CREATORMATCH_HOME/index/index.faiss: sha256" in text
    assert str(home.root.resolve()) not in text and str(home.root.parent) not in text
    with open_client(anyhome) as empty:
        not_ready = empty.get("/health/ready")
        assert not_ready.status_code == 503 and "$CREATORMATCH_HOME" in not_ready.text
        assert str(anyhome.root.resolve()) not in not_ready.text
