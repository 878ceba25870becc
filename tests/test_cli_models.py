"""Champion / challenger through the registry, the CLI and the API: a worse challenger is
refused and the home keeps serving the champion; `models compare` shows both on one evaluation
set; `models promote` overrides the gates and says which; `models list` and GET /v1/models show
the same version numbers and headline metrics.

Real LightGBM models, a real MLflow registry in the temp home, the real app.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from creatormatch.cli import main
from creatormatch.core import Home, Settings, verify
from creatormatch.features import CampaignOutcome, load_embedder
from creatormatch.matching import creator_vectors
from creatormatch.models import CONVERSION_PARAMS, ConversionModel
from creatormatch.serving import create_app
from creatormatch.store import Catalog, TenantStore
from creatormatch.training import (
    ConversionData,
    Decision,
    Training,
    challenge,
    champion,
    conversion_data,
    freeze_evalset,
    judge_for,
    published_version,
    version_info,
)
from tests.conftest import NICHES

ONE_THREAD = replace(CONVERSION_PARAMS, num_threads=1)  # LightGBM threads crawl on a busy box


def _outcomes(creator_ids: list[str]) -> list[CampaignOutcome]:
    """Two brands per niche, two campaigns each: a creator of the campaign's niche converts at
    ten times the rate of the others (the home's creators cycle through the NICHES)."""
    rng = np.random.default_rng(7)
    rows = []
    for n, (niche, words) in enumerate(NICHES.items()):
        for brand in range(2):
            for campaign in range(2):
                for index in rng.choice(len(creator_ids), 30, replace=False):
                    impressions = int(rng.integers(2_000, 40_000))
                    rate = 0.004 if index % len(NICHES) == n else 0.0004
                    rows.append(CampaignOutcome.model_validate({
                        "campaign_id": f"{niche}-{brand}-{campaign}",
                        "brand_id": f"{niche}-{brand}", "creator_id": creator_ids[index],
                        "impressions": impressions, "clicks": impressions // 50,
                        "conversions": int(rng.poisson(impressions * rate)),
                        "brief": {"text": words},
                    }))  # fmt: skip
    return rows


def _rows(home: Home) -> ConversionData:
    embedder = load_embedder("hashing")
    catalog = Catalog(home.catalog)
    try:
        ids = sorted(catalog.creator_ids())
        records = {r.creator_id: r for r in catalog.records(ids)}
        creators = catalog.features(ids).assign(fraud_probability=np.nan)
        content, _, _ = creator_vectors(catalog, ids, dimension=embedder.dimension)
        vectors = dict(zip(ids, content, strict=True))
        return conversion_data(_outcomes(ids), records, creators, vectors, embedder)
    finally:
        catalog.close()


@dataclass(frozen=True)
class Registry:
    home: Home
    good: Decision
    worse: Decision


@pytest.fixture(scope="module")
def registry(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """v1 a sound conversion model (champion), v2 one fitted on shuffled conversions (refused)."""
    home = Home(tmp_path_factory.mktemp("registry") / "home")
    shutil.copytree(hashing_home.root, home.root)
    data = _rows(home)
    held = np.char.endswith(data.brands.astype(str), "-1")  # one brand of each niche
    freeze_evalset(home, "outcomes", data.subset(held).tables())
    train = data.subset(~held)
    judge = judge_for(home, "conversion")
    sound = ConversionModel(params=ONE_THREAD).fit(train.X, train.conversions, train.impressions)
    shuffled = np.random.default_rng(1).permutation(train.conversions)
    noise = ConversionModel(params=ONE_THREAD).fit(train.X, shuffled, train.impressions)
    training = Training({"seed": 0}, data_hash="a" * 64, world_seed=3)
    good = challenge(home, "conversion", sound, judge, training, tracking_uri=None)
    worse = challenge(home, "conversion", noise, judge, training, tracking_uri=None)
    return Registry(home, good, worse)


def test_a_first_version_within_the_floors_becomes_champion_and_is_served(
    registry: Registry,
) -> None:
    good = registry.good
    assert (good.version, good.promoted, good.parent) == (1, True, None)
    assert good.line().startswith("conversion v1 (champion): promoted (all 3 gates passed")
    manifest = verify(registry.home.model_dir("conversion"))
    assert manifest["registry_version"] == 1
    assert manifest["lineage"]["world_seed"] == 3 and manifest["lineage"]["parent"] is None


def test_a_worse_challenger_is_refused_naming_the_gate_and_both_numbers_and_v1_keeps_serving(
    registry: Registry,
) -> None:
    worse, home = registry.worse, registry.home
    assert (worse.version, worse.promoted, worse.parent) == (2, False, 1)
    quality = next(v for v in worse.verdicts if v.gate.metric == "ndcg10_model")
    assert not quality.passed and quality.champion == registry.good.metrics["ndcg10_model"]
    assert quality.challenger < quality.champion - 0.03
    assert f"vs v1 {quality.champion:.3g} (tolerance 0.03)" in worse.line()
    assert worse.line().endswith("v1 stays champion")
    assert champion(home, "conversion").version == 1
    assert published_version(home, "conversion") == 1
    assert verify(home.model_dir("conversion"))["registry_version"] == 1
    recorded = version_info(home, "conversion", 2)
    assert recorded["aliases"] == ["challenger"] and not recorded["champion"]
    assert recorded["tags"]["decision"].startswith("refused (quality: nDCG@10")
    assert recorded["tags"]["lineage.parent"] == "1"
    assert recorded["tags"]["lineage.eval_set"].startswith("outcomes-eval v1 (sha256 ")


def test_models_compare_scores_both_versions_on_the_same_evaluation_set(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--home", str(registry.home.root), "models", "compare", "conversion", "1", "v2"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("conversion v1 vs v2, both scored on outcomes-eval v1 (sha256 ")
    good, worse = registry.good.metrics["ndcg10_model"], registry.worse.metrics["ndcg10_model"]
    assert re.search(rf"ndcg10_model\s+{good:.4f}\s+{worse:.4f}\s+quality: nDCG@10", out)
    assert re.search(r"ndcg10_followers\s+(\S+)\s+\1\s*$", out, re.MULTILINE)  # same rows
    assert "v2 would be refused against v1 (quality: nDCG@10" in out


def test_models_list_and_the_api_show_the_same_versions_and_headline_metrics(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    home = registry.home
    assert main(["--home", str(home.root), "models", "list", "--name", "conversion"]) == 0
    listing = capsys.readouterr().out
    assert "conversion: 2 versions; the home serves v1" in listing
    shown = re.search(
        r"\* v1 .*ndcg10_model (\S+), calibration_error (\S+), .*artifact (\w+)", listing
    )
    assert shown is not None
    assert "parent v1, judged on outcomes-eval v1" in listing  # v2's lineage
    store = TenantStore.of(home)
    _, key = store.create_key("ml")
    store.close()
    with TestClient(create_app(Settings(home=home.root, embedder="hashing"))) as client:
        body = client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).json()
    served = next(a for a in body["artifacts"] if a["name"] == "conversion")
    assert served["registry_version"] == "v1" and served["version"] == shown.group(3)
    assert list(served["headline_metrics"]) == ["ndcg10_model", "calibration_error", "rerank_ms"]
    assert f"{served['headline_metrics']['ndcg10_model']:.3f}" == shown.group(1)
    assert f"{served['headline_metrics']['calibration_error']:.3f}" == shown.group(2)
    assert served["lineage"]["eval_set"].startswith("outcomes-eval v1")


def test_promoting_past_the_gates_says_which_gate_it_overrides(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(registry.home.root, home.root)
    assert main(["--home", str(home.root), "models", "promote", "conversion", "2"]) == 0
    out = capsys.readouterr().out
    assert "conversion v2 is champion; published in the home: conversion v2" in out
    assert "conversion v2 overrides the gates against v1 on outcomes-eval v1" in out
    assert "quality: nDCG@10" in out and "refused" in out
    assert champion(home, "conversion").version == 2 and published_version(home, "conversion") == 2
