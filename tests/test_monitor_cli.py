"""`creatormatch monitor` on a small trained home: no drift on the catalog it was trained on (exit
0), drift when the followers are scaled (exit 1, PSI past the threshold for them), no snapshot
(exit 2, naming `creatormatch train`), recent request briefs, and the gauges on /metrics."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home, get_settings
from creatormatch.matching import ingest_file
from creatormatch.store import TenantStore
from creatormatch.training import MonitorResult, monitor_json, read_monitor
from tests.serving.conftest import copy_home, open_client
from tests.trained_world import EMBEDDER, trained_world

pytestmark = pytest.mark.slow  # trains a small world's models once per session
SCALE = 20  # followers as a scraper that started reading another field might report them


@pytest.fixture(scope="module")
def world_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return trained_world(tmp_path_factory)


@pytest.fixture()
def hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    gc.unfreeze()  # a one-shot command freezes what it loaded


@pytest.fixture(scope="module")
def shifted_home(world_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A copy whose creators were ingested again with SCALE × their followers."""
    home = copy_home(world_home, tmp_path_factory.mktemp("shifted") / "home")
    source = world_home.root / "world" / "creators.jsonl"
    records = [json.loads(line) for line in source.read_text().splitlines()]
    for record in records:
        record["followers"] = record["followers"] * SCALE
    shifted = home.root / "shifted.jsonl"
    shifted.write_text("".join(json.dumps(r) + "\n" for r in records))
    ingest_file(home, shifted, embedder=EMBEDDER, progress=False)
    return home


def monitor(home: Home, *flags: str) -> int:
    return main(["--home", str(home.root), "monitor", *flags])


def checks(result: MonitorResult, kind: str) -> dict:
    return {c.name: c for c in result.checks if c.kind == kind}


def test_the_catalog_the_models_were_trained_on_shows_no_drift_and_exits_0(
    world_home: Home, hashing: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = copy_home(world_home, tmp_path / "home")
    assert monitor(home) == 0
    out = capsys.readouterr().out
    assert out.startswith("drift monitor: ok (0 drift, 0 watch of ")
    result = read_monitor(monitor_json(home))
    features = checks(result, "feature")
    assert {"followers", "engagement_rate", "price_per_post"} <= set(features)
    # KS reads the reference from its 101 percentiles: within about 0.01 of the exact 0
    assert all(c.psi == pytest.approx(0.0, abs=1e-9) and c.ks < 0.011 for c in features.values())
    scores = checks(result, "score")
    assert {"reach_impressions", "conversion_rate"} <= set(scores)
    assert all(c.psi == pytest.approx(0.0, abs=1e-9) for c in scores.values())
    assert checks(result, "embedding")["catalog_content"].status == "ok"
    report = home.reports_dir / "monitor"
    for name in ("monitor.md", "drift_psi.png", "drift_distributions.png", "drift_evidence.png"):
        assert (report / name).stat().st_size > 0
    assert "# Drift monitor: ok" in (report / "monitor.md").read_text()


def test_scaled_followers_are_drift_and_exit_1_naming_the_feature(
    shifted_home: Home, hashing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert monitor(shifted_home) == 1
    out = capsys.readouterr().out
    assert out.startswith("drift monitor: drift (") and "drift: feature followers, PSI" in out
    result = read_monitor(monitor_json(shifted_home))
    assert result.status == "drift"
    features = checks(result, "feature")
    for moved in ("followers", "log_followers"):
        assert features[moved].status == "drift" and features[moved].psi > 0.25
    followers = features["followers"]
    assert followers.current == pytest.approx(followers.reference * SCALE)  # medians
    for kept in ("bio_length", "posts_count", "price_per_post"):  # not read from followers
        assert features[kept].psi == pytest.approx(0.0, abs=1e-9)
    assert checks(result, "score")["reach_impressions"].status == "drift"
    page = (shifted_home.reports_dir / "monitor" / "monitor.md").read_text()
    assert "# Drift monitor: drift" in page and "| followers | drift |" in page


def test_thresholds_come_from_the_flags(
    shifted_home: Home, hashing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert monitor(shifted_home, "--psi-watch", "50", "--psi-drift", "100") == 0
    assert "drift monitor: ok" in capsys.readouterr().out
    assert monitor(shifted_home, "--psi-watch", "0.3", "--psi-drift", "0.2") == 2
    assert "expected 0 < --psi-watch <= --psi-drift, got 0.3 and 0.2" in capsys.readouterr().err
    assert monitor(shifted_home, "--missing-drift", "0") == 2
    assert "--missing-drift" in capsys.readouterr().err


def test_without_a_training_snapshot_monitor_exits_2_naming_train(
    world_home: Home, hashing: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = copy_home(world_home, tmp_path / "home")
    (home.reports_dir / "training_snapshot.json").unlink()
    assert monitor(home) == 2
    err = capsys.readouterr().err
    assert "no training snapshot" in err and "Run `creatormatch train`" in err
    assert not monitor_json(home).exists()


def _serve_briefs(home: Home, texts: list[str]) -> None:
    """What POST /v1/shortlists keeps of each request: its brief, in tenants.db."""
    store = TenantStore.of(home)
    try:
        for text in texts:
            store.save_shortlist("acme", {"text": text, "k": 10}, {"items": []})
    finally:
        store.close()


def test_recent_request_briefs_are_judged_once_enough_were_served(
    world_home: Home, hashing: None, tmp_path: Path
) -> None:
    home = copy_home(world_home, tmp_path / "home")
    _serve_briefs(home, ["handmade pottery glaze kiln"] * 10)
    assert monitor(home) == 0  # 10 of the 30 needed: reported, not judged
    note = checks(read_monitor(monitor_json(home)), "embedding")["request_briefs"].note
    assert note == "10 recent requests; 30 needed to judge"

    _serve_briefs(home, ["quantum annealing qubit cryostat"] * 30)  # far from every campaign
    assert monitor(home, "--requests", "30") == 1
    requests = checks(read_monitor(monitor_json(home)), "embedding")["request_briefs"]
    assert requests.status == "drift" and requests.note == "30 recent requests"
    assert requests.current < requests.reference


def test_metrics_expose_the_last_monitor_run_as_gauges(
    shifted_home: Home, hashing: None, tmp_path: Path
) -> None:
    home = copy_home(shifted_home, tmp_path / "home")
    monitor_json(home).unlink(missing_ok=True)  # the other tests' runs
    with open_client(home) as client:
        before = client.get("/metrics").text
        assert "creatormatch_feature_psi{" not in before  # never run: no made-up zeros
        assert "creatormatch_drift_status" not in before
        assert monitor(home) == 1
        text = client.get("/metrics").text
    result = read_monitor(monitor_json(home))
    followers = checks(result, "feature")["followers"]
    assert f'creatormatch_feature_psi{{feature="followers"}} {followers.psi!r}' in text
    assert f'creatormatch_feature_ks{{feature="followers"}} {followers.ks!r}' in text
    reach = checks(result, "score")["reach_impressions"]
    assert f'creatormatch_score_psi{{score="reach_impressions"}} {reach.psi!r}' in text
    comments = checks(result, "evidence")["comments"]
    assert (
        f'creatormatch_missing_evidence_share{{evidence="comments"}} {comments.current!r}' in text
    )
    assert 'creatormatch_embedding_psi{space="catalog_content"}' in text
    assert "creatormatch_drift_status 2.0" in text
