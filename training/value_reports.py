"""Reports on the conversion and reach models, scored on their frozen evaluation set: the metric
table the gates read, predicted against observed by decile of the prediction (with the
calibration plot drawn from it), and nDCG@10 per brief category beside the baselines.

A brief's category is its first interest (the world's briefs name the brand's niche first);
"unspecified" when it names none. Every number is measured on outcomes of brands the model never
trained on (training/datasets.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features import CampaignOutcome
from creatormatch.models import ConversionModel, ReachModel, rule_of_thumb
from creatormatch.training.conversion import (
    BASELINES,
    ConversionData,
    conversion_scorecard,
    reach_scorecard,
)
from creatormatch.training.evalset import model_columns
from creatormatch.training.markdown import frame_table
from creatormatch.training.metrics import ndcg_at_k
from creatormatch.training.model_plots import (
    plot_decile_calibration,
    plot_deciles,
    plot_ndcg_by_category,
)

Floats = npt.NDArray[np.float64]
DECILES = 10
K = 10
UNSPECIFIED = "unspecified"
CONVERSION_COLUMNS = {
    "exposure": "impressions_k",
    "predicted_per_unit": "predicted_per_1k",
    "observed_per_unit": "observed_per_1k",
}
REACH_COLUMNS = {
    "predicted_per_unit": "predicted_per_post",
    "observed_per_unit": "observed_per_post",
}


def brief_categories(outcomes: Sequence[CampaignOutcome]) -> dict[str, str]:
    """campaign_id → the first interest of its brief ("unspecified" without one)."""
    return {
        o.campaign_id: o.brief.interests[0] if o.brief and o.brief.interests else UNSPECIFIED
        for o in outcomes
    }


def decile_table(
    score: Floats, predicted: Floats, observed: Floats, exposure: Floats
) -> pd.DataFrame:
    """Rows split into DECILES equal groups by `score` (1 = lowest): rows, exposure, predicted and
    observed totals, and each per unit of exposure. Totals add up to those of all rows."""
    groups = np.array_split(np.argsort(score, kind="stable"), DECILES)
    table = pd.DataFrame(
        [
            {"rows": len(g), "exposure": exposure[g].sum(),
             "predicted": predicted[g].sum(), "observed": observed[g].sum()}
            for g in groups
        ],
        index=pd.RangeIndex(1, DECILES + 1, name="decile"),
    )  # fmt: skip
    table["predicted_per_unit"] = table["predicted"] / table["exposure"]
    table["observed_per_unit"] = table["observed"] / table["exposure"]
    return table


def campaign_ndcg(scores: Floats, gains: Floats, campaigns: npt.NDArray[np.str_]) -> pd.Series:
    """nDCG@K per campaign of ranking its rows by `scores` (ties: earlier first) against `gains`."""
    values = {}
    for campaign in np.unique(campaigns):
        inside = campaigns == campaign
        order = np.argsort(-scores[inside], kind="stable")
        values[str(campaign)] = ndcg_at_k(gains[inside][order], gains[inside], k=K)
    return pd.Series(values, dtype=np.float64)


def ndcg_by_category(
    rankers: Mapping[str, Floats],
    gains: Floats,
    campaigns: npt.NDArray[np.str_],
    categories: Mapping[str, str],
) -> pd.DataFrame:
    """Per brief category (and "all"): campaigns, then the mean nDCG@K of each ranker."""
    per_campaign = pd.DataFrame(
        {name: campaign_ndcg(np.nan_to_num(s, nan=-np.inf), gains, campaigns)
         for name, s in rankers.items()}
    )  # fmt: skip
    category = per_campaign.index.map(lambda c: categories.get(c, UNSPECIFIED))
    grouped = per_campaign.groupby(category)
    table = pd.concat([grouped.size().rename("campaigns"), grouped.mean()], axis=1)
    everything = pd.DataFrame([[len(per_campaign), *per_campaign.mean()]], columns=table.columns)
    return pd.concat([table.sort_index(), everything.set_axis(["all"])]).rename_axis("category")


def _card(title: str, evalset: str, data: ConversionData, sections: list[str]) -> str:
    lead = (
        f"Scored on {evalset}: {len(data.conversions)} outcomes of "
        f"{len(np.unique(data.campaigns))} campaigns by {len(np.unique(data.brands))} brands "
        "the model never trained on."
    )
    return "\n\n".join([f"# Model report: {title}", lead, *sections]) + "\n"


def _write(out_dir: Path, name: str, card: str, plots: list[Path]) -> list[Path]:
    path = out_dir / f"{name}_report.md"
    listing = "\n".join(f"![{p.stem}]({p.name})" for p in plots)
    path.write_text(f"{card}\n## Plots\n\n{listing}\n", encoding="utf-8")
    return [*plots, path]


def write_conversion_report(
    model: ConversionModel,
    data: ConversionData,
    categories: Mapping[str, str],
    out_dir: Path,
    *,
    evalset: str,
) -> list[Path]:
    """conversion_report.md and its three PNGs in `out_dir`; their paths (the card last)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rate = model.rate(model_columns(data.X, model.feature_names_in_))
    thousands = data.impressions / 1_000
    deciles = decile_table(rate, rate * data.impressions, data.conversions, thousands)
    rankers = {"model": rate} | {name: data.X[col].to_numpy(np.float64)
                                 for name, col in BASELINES.items()}  # fmt: skip
    gains = data.conversions / data.impressions
    by_category = ndcg_by_category(rankers, gains, data.campaigns, categories)
    metrics = pd.DataFrame({"value": conversion_scorecard(model, data)}).rename_axis("metric")
    plots = [
        plot_decile_calibration(deciles, "conversions per 1,000 impressions",
                                "Conversion calibration by decile",
                                out_dir / "conversion_calibration.png"),
        plot_deciles(deciles, "conversions", "Conversions by decile of the predicted rate",
                     out_dir / "conversion_deciles.png"),
        plot_ndcg_by_category(by_category, "Conversion ranking by brief category",
                              out_dir / "conversion_ndcg_by_category.png"),
    ]  # fmt: skip
    shown = deciles.rename(columns=CONVERSION_COLUMNS)
    card = _card("conversion model", evalset, data, [
        "## Metrics", frame_table(metrics, 4),
        "## Predicted against observed conversions by decile of the predicted rate",
        frame_table(shown),
        f"## nDCG@{K} by brief category",
        "Gains: conversions per impression; the model beside ranking by followers, engagement "
        "rate and content similarity alone.",
        frame_table(by_category),
    ])  # fmt: skip
    return _write(out_dir, "conversion", card, plots)


def write_reach_report(
    model: ReachModel,
    data: ConversionData,
    categories: Mapping[str, str],
    out_dir: Path,
    *,
    evalset: str,
) -> list[Path]:
    """reach_report.md and its three PNGs in `out_dir`; their paths (the card last)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    predicted = model.impressions(data.creators)
    posts = np.ones_like(predicted)
    deciles = decile_table(predicted, predicted, data.impressions, posts)
    rankers = {"model": predicted, "organic_views": rule_of_thumb(data.creators)}
    by_category = ndcg_by_category(rankers, data.impressions, data.campaigns, categories)
    metrics = pd.DataFrame({"value": reach_scorecard(model, data)}).rename_axis("metric")
    plots = [
        plot_decile_calibration(deciles, "impressions per post", "Reach calibration by decile",
                                out_dir / "reach_calibration.png"),
        plot_deciles(deciles, "impressions", "Impressions by decile of the predicted reach",
                     out_dir / "reach_deciles.png"),
        plot_ndcg_by_category(by_category, "Reach ranking by brief category",
                              out_dir / "reach_ndcg_by_category.png"),
    ]  # fmt: skip
    shown = deciles.drop(columns="exposure").rename(
        columns={
            "predicted_per_unit": "predicted_per_post",
            "observed_per_unit": "observed_per_post",
        }
    )
    card = _card("reach model", evalset, data, [
        "## Metrics", frame_table(metrics),
        "## Predicted against observed impressions by decile of the predicted reach",
        frame_table(shown, 0),
        f"## nDCG@{K} by brief category",
        "Gains: impressions of each creator's post; the model beside the organic views rule.",
        frame_table(by_category),
    ])  # fmt: skip
    return _write(out_dir, "reach", card, plots)
