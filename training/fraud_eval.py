"""The fraud model on held-out labelled creators, at fraud intensity 1, 0.5 and 0.25.

The same creators at each intensity (the clean creators are identical: only how loud the fraud is
changes). Measures PR-AUC / ROC-AUC, recall at 90% precision per archetype, FPR on the legitimate
look-alikes and FPR by creator country with a homogeneity test, and writes them up as a markdown
report, the goals met and a JSON summary (`creatormatch evaluate fraud`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from creatormatch.core import Home, NotReady
from creatormatch.features import CreatorRecord, EngagementBenchmark, fraud_signal_frame
from creatormatch.models import FraudModel
from creatormatch.training.fraud import (
    LOOK_ALIKES,
    MIN_COUNTRY_CLEAN,
    aligned_labels,
    country_fpr,
    evaluate_fraud,
)
from creatormatch.training.markdown import cell, pipe_table

INTENSITIES = (1.0, 0.5, 0.25)
GOALS = {"pr_auc": 0.90, "lookalike_fpr": 0.05, "country_ratio": 1.25}
LabelledData = Callable[[float], tuple[list[CreatorRecord], pd.DataFrame]]


@dataclass(frozen=True)
class HeldOut:
    """`evaluate_fraud`'s metrics on one labelled set, and `country_fpr` at each band."""

    metrics: dict[str, float]
    countries: dict[str, pd.DataFrame]


def _benchmark(model: FraudModel) -> EngagementBenchmark:
    if model.benchmark_ is None:
        raise NotReady("this fraud model was saved without its engagement benchmark: retrain it")
    return model.benchmark_


def load_evaluated_model(home: Home) -> FraudModel:
    """The home's fraud model, which must carry its engagement benchmark."""
    if not (home.model_dir("fraud") / "manifest.json").is_file():
        raise NotReady(f"no fraud model in {home.root}: run `creatormatch train` first")
    model, _ = FraudModel.load(home.model_dir("fraud"))
    _benchmark(model)
    return model


def evaluate_heldout(
    model: FraudModel, records: Sequence[CreatorRecord], labels: pd.DataFrame
) -> HeldOut:
    """Metrics of `model` on labelled creators it never saw, plus FPR by country at each band."""
    countries = pd.Series({r.creator_id: r.country or "unknown" for r in records})
    frame = fraud_signal_frame(records, benchmark=_benchmark(model))
    frame = frame.loc[:, model.feature_names_in_]
    metrics = evaluate_fraud(model, frame, labels, countries=countries)
    clean = ~aligned_labels(frame, labels)["is_fraud"].to_numpy()
    p = model.predict_proba(frame)
    by_country = {
        band: country_fpr(p >= cut, clean, countries.reindex(frame.index))
        for band, cut in model.thresholds_.items()
    }
    return HeldOut(metrics, by_country)


def evaluate_intensities(model: FraudModel, data: LabelledData) -> dict[float, HeldOut]:
    """`evaluate_heldout` on `data(intensity)` (records, labels) for each of INTENSITIES."""
    return {intensity: evaluate_heldout(model, *data(intensity)) for intensity in INTENSITIES}


def homogeneity_p(stats: pd.DataFrame) -> float:
    """Chi-square p-value of "every country has the same FPR" (flagged vs not, per country)."""
    from scipy.stats import chi2_contingency

    flagged = (stats["fpr"] * stats["clean"]).round()
    observed = pd.concat([flagged, stats["clean"] - flagged], axis=1).to_numpy()
    return float(chi2_contingency(observed).pvalue) if observed[:, 0].sum() > 0 else 1.0


def goals(results: dict[float, HeldOut]) -> dict[str, bool]:
    loud = results[1.0].metrics
    return {
        "pr_auc_ge_0.90_every_intensity": all(
            r.metrics["pr_auc"] >= GOALS["pr_auc"] for r in results.values()
        ),
        "lookalike_fpr_high_le_0.05": all(
            loud[f"fpr_high_{a}"] <= GOALS["lookalike_fpr"] for a in LOOK_ALIKES
        ),
        "country_ratio_high_le_1.25": loud["fpr_high_country_max_min_ratio"]
        <= GOALS["country_ratio"],
    }


def _degradation(m: dict[float, dict[str, float]], bands: list[str]) -> list[str]:
    keys = ["pr_auc", "roc_auc", "recall_at_p90"] + [
        f"{k}_{b}" for b in bands for k in ("precision", "recall", "fpr")
    ]
    lines = ["## Degradation as fraud gets subtler", ""]
    return lines + pipe_table(
        ["intensity", *keys], [[i, *(cell(m[i][k]) for k in keys)] for i in m]
    )


def _archetype_recall(m: dict[float, dict[str, float]]) -> list[str]:
    archetypes = sorted({k[14:] for k in m[1.0] if k.startswith("recall_at_p90_")})
    lines = ["", "## Recall at 90% precision per archetype", ""]
    return lines + pipe_table(
        ["archetype", *map(str, m)],
        [[a, *(cell(m[i].get(f"recall_at_p90_{a}", math.nan)) for i in m)] for a in archetypes],
    )


def _lookalikes(loud: dict[str, float], bands: list[str]) -> list[str]:
    lines = ["", "## FPR on legitimate look-alikes (negatives are the same at every intensity)", ""]
    return lines + pipe_table(
        ["band", *LOOK_ALIKES, "all clean"],
        [
            [b, *(cell(loud[f"fpr_{b}_{a}"]) for a in LOOK_ALIKES), cell(loud[f"fpr_{b}"])]
            for b in bands
        ],
    )


def _countries(loud: HeldOut, band: str) -> list[str]:
    stats = loud.countries[band]
    ratio = loud.metrics[f"fpr_{band}_country_max_min_ratio"]
    lines = ["", f"## FPR by creator country at `{band}` (≥ {MIN_COUNTRY_CLEAN} clean)", ""]
    lines += pipe_table(
        ["country", "clean", "fpr"],
        [[c, int(s["clean"]), cell(s["fpr"])] for c, s in stats.iterrows()],
    )
    return [
        *lines,
        "",
        f"max/min ratio {ratio:.2f}; chi-square p (equal FPR) {homogeneity_p(stats):.3g}",
    ]


def format_report(results: dict[float, HeldOut], bands: list[str]) -> list[str]:
    """Markdown lines: ranking per intensity, recall per archetype, look-alike and country FPR."""
    m = {i: r.metrics for i, r in results.items()}
    lines = _degradation(m, bands) + _archetype_recall(m) + _lookalikes(m[1.0], bands)
    for band in bands:
        lines += _countries(results[1.0], band)
    return lines


def heldout_report(
    results: dict[float, HeldOut], bands: list[str], *, seed: int, creators: int
) -> str:
    """The whole markdown report: title, `format_report` and whether each goal is met."""
    head = f"# Fraud model on held-out worlds (seed {seed}, {creators} creators each)"
    lines = [head, "", *format_report(results, bands), ""]
    lines += [f"- {goal}: {'met' if ok else 'NOT met'}" for goal, ok in goals(results).items()]
    return "\n".join(lines)


def _finite(value: Any) -> Any:
    """NaN and infinities as None: JSON has no NaN."""
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def heldout_json(results: dict[float, HeldOut], *, seed: int, creators: int, seconds: float) -> str:
    summary = {
        "seed": seed,
        "creators": creators,
        "seconds": round(seconds, 1),
        "goals": goals(results),
        "metrics": {str(i): r.metrics for i, r in results.items()},
    }
    return json.dumps(_finite(summary))
