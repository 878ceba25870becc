"""Reports of the account, conversion and reach models: the files exist, and their tables hold
the numbers the models produce on the frozen evaluation set (decile sums, nDCG per category)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from sklearn.metrics import roc_auc_score

from creatormatch.core import Home
from creatormatch.models import AccountModel, ConversionModel, ReachModel
from creatormatch.store import Catalog
from creatormatch.training import (
    ConversionData,
    Decision,
    EvalSet,
    account_report,
    conversion_report,
    default_data_dir,
    features_and_labels,
    latest_evalset,
    load_sets,
    log_and_register,
    mean_ndcg,
    publish_reports,
    reach_report,
)
from tests.serving.conftest import copy_home
from tests.trained_world import trained_world

pytestmark = pytest.mark.slow  # trains a small world's models once per session
PLOTS = ("calibration", "deciles", "ndcg_by_category")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A copy of the trained world home: these tests write reports and register a version."""
    return copy_home(trained_world(tmp_path_factory), tmp_path_factory.mktemp("reports") / "home")


@pytest.fixture(scope="module")
def evalset(home: Home) -> EvalSet:
    found = latest_evalset(home, "outcomes")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def outcomes(home: Home) -> list:
    catalog = Catalog(home.catalog)
    try:
        return catalog.outcomes()
    finally:
        catalog.close()


def table(card: str, heading: str) -> pd.DataFrame:
    """The first pipe table after `heading` in a markdown card, as strings, by its first column."""
    blocks = card.split(heading, 1)[1].strip().split("\n\n")
    rows = next(b for b in blocks if b.startswith("|")).splitlines()
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows if "---" not in row]
    return pd.DataFrame(cells[1:], columns=cells[0]).set_index(cells[0][0])


def test_the_conversion_report_adds_up_to_the_models_predictions_on_the_eval_set(
    home: Home, evalset: EvalSet, outcomes: list
) -> None:
    model, _ = ConversionModel.load(home.model_dir("conversion"))
    files = conversion_report(home, model, evalset, outcomes)
    folder = home.reports_dir / "conversion" / "challenger"
    assert [p.name for p in files] == [*(f"conversion_{n}.png" for n in PLOTS),
                                       "conversion_report.md"]  # fmt: skip
    assert all(p.parent == folder and p.stat().st_size > 0 for p in files)
    card = files[-1].read_text()
    data = ConversionData.from_tables(evalset.tables)
    rate = model.rate(data.X.loc[:, model.feature_names_in_])

    deciles = table(card, "by decile of the predicted rate").astype(float)
    assert len(deciles) == 10 and deciles["rows"].sum() == len(data.conversions)
    assert deciles["observed"].sum() == pytest.approx(data.conversions.sum(), abs=0.01)
    assert deciles["predicted"].sum() == pytest.approx(rate @ data.impressions, abs=0.01)
    # ordered by the predicted rate: the top decile is predicted to convert best
    assert deciles["predicted_per_1k"].iloc[-1] > deciles["predicted_per_1k"].iloc[0]

    by_category = table(card, "## nDCG@10 by brief category")
    campaigns = by_category["campaigns"].astype(int)
    assert campaigns.drop("all").sum() == campaigns["all"] == len(np.unique(data.campaigns))
    assert float(by_category.loc["all", "model"]) == pytest.approx(mean_ndcg(data, rate), abs=5e-4)
    assert set(by_category.columns) == {"campaigns", "model", "followers", "engagement_rate",
                                        "embedding_only"}  # fmt: skip
    # a category's row is the mean over its campaigns (the world's briefs name their niche first)
    fitness = {o.campaign_id for o in outcomes if o.brief and o.brief.interests[:1] == ["fitness"]}
    inside = np.isin(data.campaigns, sorted(fitness))
    assert float(by_category.loc["fitness", "model"]) == pytest.approx(
        mean_ndcg(data.subset(inside), rate[inside]), abs=5e-4
    )
    metrics = table(card, "## Metrics")
    assert float(metrics.loc["ndcg10_model", "value"]) == pytest.approx(
        mean_ndcg(data, rate), abs=5e-5
    )


def test_the_reach_report_adds_up_to_the_models_impressions_on_the_eval_set(
    home: Home, evalset: EvalSet, outcomes: list
) -> None:
    model, _ = ReachModel.load(home.model_dir("reach"))
    files = reach_report(home, model, evalset, outcomes)
    assert [p.name for p in files] == [*(f"reach_{n}.png" for n in PLOTS), "reach_report.md"]
    card = files[-1].read_text()
    data = ConversionData.from_tables(evalset.tables)
    predicted = model.impressions(data.creators)
    deciles = table(card, "by decile of the predicted reach").astype(float)
    assert deciles["observed"].sum() == pytest.approx(data.impressions.sum(), abs=5)
    assert deciles["predicted"].sum() == pytest.approx(predicted.sum(), abs=5)
    assert list(deciles["predicted_per_post"]) == sorted(deciles["predicted_per_post"])
    by_category = table(card, "## nDCG@10 by brief category")
    assert {"model", "organic_views"} <= set(by_category.columns)
    assert 0 < float(by_category.loc["all", "model"]) <= 1


def test_the_account_report_scores_the_kaggle_test_split(home: Home) -> None:
    data_dir = default_data_dir()
    if data_dir is None:
        pytest.skip("the public account data sets (../shared/data) are not here")
    model = AccountModel().fit(*features_and_labels(load_sets(data_dir)["kaggle"]))
    files = account_report(home, model, data_dir)
    assert [p.name for p in files] == ["account_calibration.png", "account_report.md"]
    metrics = table(files[-1].read_text(), "## Metrics")
    assert list(metrics.index) == ["account model", "heuristic (3 rules)"]
    X, y = features_and_labels(load_sets(data_dir)["kaggle_test"])
    expected = roc_auc_score(y, model.predict_proba(X))
    assert float(metrics.loc["account model", "roc_auc"]) == pytest.approx(expected, abs=5e-4)
    assert metrics.loc["heuristic (3 rules)", "ece"] == "–"  # no probability, no calibration


def _decision(name: str, promoted: bool) -> Decision:
    return Decision(name, 2, promoted, [], 1, {})


def test_only_a_promoted_challengers_report_is_published_beside_the_served_model(
    home: Home, evalset: EvalSet, outcomes: list, tmp_path: Path
) -> None:
    trial = copy_home(home, tmp_path / "home")
    # `train` published the served models' reports; this trial starts from none.
    shutil.rmtree(trial.reports_dir / "conversion")
    shutil.rmtree(trial.reports_dir / "reach")
    conversion_report(trial, ConversionModel.load(trial.model_dir("conversion"))[0], evalset,
                      outcomes)  # fmt: skip
    reach_report(trial, ReachModel.load(trial.model_dir("reach"))[0], evalset, outcomes)
    published = publish_reports(trial, [_decision("conversion", True), _decision("reach", False)])
    assert published == [trial.reports_dir / "conversion"]
    assert (trial.reports_dir / "conversion" / "conversion_report.md").is_file()
    assert not (trial.reports_dir / "reach" / "reach_report.md").exists()
    assert (trial.reports_dir / "reach" / "challenger" / "reach_report.md").is_file()


def test_the_report_files_are_logged_to_mlflow_with_the_version(
    home: Home, evalset: EvalSet, outcomes: list, tmp_path: Path
) -> None:
    model, _ = ConversionModel.load(home.model_dir("conversion"))
    files = conversion_report(home, model, evalset, outcomes)
    registered = log_and_register(
        home, name="conversion", model_dir=home.model_dir("conversion"), params={}, metrics={},
        files=files, alias="challenger",
    )  # fmt: skip
    client = MlflowClient(tracking_uri=home.tracking_uri())
    logged = client.list_artifacts(registered.run_id, "reports")
    assert sorted(Path(a.path).name for a in logged) == sorted(p.name for p in files)
    copy = client.download_artifacts(
        registered.run_id, "reports/conversion_report.md", str(tmp_path)
    )
    assert Path(copy).read_text() == files[-1].read_text()
