"""Reports for ML engineers on a fitted fraud model: four PNG plots and a markdown model card.

Everything is measured on the model's own validation split (reproduced from its seed), which the
trees never saw; calibration and band thresholds were chosen there, so the card says so and points
to `creatormatch evaluate fraud` for held-out worlds. The plots are drawn by `fraud_plots`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.model_selection import train_test_split

from creatormatch.core import InvalidInput
from creatormatch.features import PLATFORM_CODES, tier_of
from creatormatch.models import LOW, FraudModel
from creatormatch.training.fraud import (
    LOOK_ALIKES,
    MIN_SEGMENT,
    aligned_labels,
    evaluate_fraud,
    flagged_at,
    rate,
    scored,
)
from creatormatch.training.fraud_plots import write_plots
from creatormatch.training.markdown import frame_table

INTENDED_USE = (
    "This model is a screening aid that ranks creators for human review; "
    "its score is not a verdict of fraud."
)
PLATFORM_NAMES = {code: name for name, code in PLATFORM_CODES.items()}
KNOWN_LIMITS = (
    "Trained on labelled creators only; on the synthetic world the labels are exact, on real data "
    "they are only as good as the investigations behind them.",
    "Subtle bought likes (a 1.4-2× boost) are the weakest archetype; recall falls fastest there as "
    "fraud gets subtler (see `creatormatch evaluate fraud`).",
    "The generic-comment vocabulary is English; each comment-text share is read against the "
    "median of creators writing in the same language, fitted on the population (a language with "
    "fewer than 30 such creators uses the pooled median), so check FPR by language and country "
    "(`creatormatch evaluate fraud`) before trusting the band in a new market.",
    "Without 10 sampled comments and 25 sampled followers a probability that reaches `medium` "
    "reads `insufficient_evidence`, not a verdict; so does a record with no kind of evidence at "
    "its minimum. Rates below count it as not flagged.",
    "A band's precision target is that of everything it flags, stricter bands included: "
    "`precision_medium` counts `high` too. The `medium` band alone holds far fewer fraud cases "
    "(`precision_medium_alone`, below the base rate when the classes separate well), though never "
    "a creator under a 5 % probability (or half of `high`'s cut, where that is lower). Use "
    "`medium` to widen a review queue, never as a finding about one creator.",
    "The comment sample is small (6 posts × 5 comments); pods seen on fewer than 3 posts are NaN.",
    "`audience_fake_share` / `commenter_fake_share` are NaN unless the account model scored the "
    "follower samples; retrain once they are joined.",
    "Metrics here come from the validation split that also chose calibration and thresholds: they "
    "are slightly optimistic. Held-out worlds: `creatormatch evaluate fraud`.",
)


def validation_rows(model: FraudModel, y: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Positions of the validation split `FraudModel.fit` held out for these labels (same seed)."""
    _, val = train_test_split(
        np.arange(y.size),
        test_size=model.validation_share,
        stratify=y,
        random_state=model.params.seed,
    )
    return np.sort(val)


def _segment_rates(
    flagged: npt.NDArray[np.bool_], y: npt.NDArray[np.bool_], keys: pd.Series
) -> pd.DataFrame:
    """Per segment: creators, fraud, recall (of fraud) and FPR (of clean) at one band, each rate
    by `rate` (NaN under MIN_SEGMENT), as `evaluate_fraud` takes them."""
    segments = keys.to_numpy()
    rows = {
        segment: {
            "creators": int(inside.sum()),
            "fraud": int((inside & y).sum()),
            "recall": rate(flagged, inside & y),
            "fpr": rate(flagged, inside & ~y),
        }
        for segment in sorted(set(segments))
        if (inside := segments == segment).any()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("segment")


def _segments(frame: pd.DataFrame, table: pd.DataFrame, context: pd.DataFrame) -> dict:
    followers = np.expm1(frame["log_followers"])
    where = context.reindex(frame.index)
    return {
        "archetype": table["archetype"],
        "platform": frame["platform_code"].map(PLATFORM_NAMES).fillna("unknown"),
        "tier": followers.map(tier_of).fillna("unknown"),
        "language": where["language"].fillna("unknown"),
        "country": where["country"].fillna("unknown"),
    }


def reason_frequency(model: FraudModel, X: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """Among creators flagged (band above `low`): share with each reason in top 3 and as top 1."""
    _, bands = scored(model, X, context)
    flagged = X.loc[bands != LOW]
    explained = model.explain(flagged) if len(flagged) else []
    any_top = Counter(r.signal for why in explained for r in why)
    first = Counter(why[0].signal for why in explained if why)
    n = max(len(flagged), 1)
    table = pd.DataFrame(
        {"top3_share": {k: v / n for k, v in any_top.items()}, "top1_share": first}
    ).fillna(0.0)
    table["top1_share"] /= n
    return table.sort_values("top3_share", ascending=False).rename_axis("reason")


def segment_tables(
    model: FraudModel, frame: pd.DataFrame, table: pd.DataFrame, context: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Per segment kind: creators, fraud, then recall and FPR at each band."""
    y = table["is_fraud"].to_numpy()
    _, bands = scored(model, frame, context)
    out = {}
    for kind, keys in _segments(frame, table, context).items():
        parts = [
            _segment_rates(flagged_at(bands, band), y, keys).rename(
                columns={"recall": f"recall_{band}", "fpr": f"fpr_{band}"}
            )
            for band in model.thresholds_
        ]
        merged = pd.concat(
            [parts[0], *(t.drop(columns=["creators", "fraud"]) for t in parts[1:])], axis=1
        )
        out[kind] = merged.astype({"creators": int, "fraud": int}).rename_axis(kind)
    return out


def _intended_use(model: FraudModel) -> str:
    return (
        f"{INTENDED_USE} Use the band to order a review queue; a reviewer confirms with the "
        "evidence (unexplained follower jumps, anomalous posts, pod commenters, generic comments) "
        "before acting. Not for automatic rejection, withheld payments or public accusations. "
        + "; ".join(f"`{name}` targets {target:.0%} precision" for name, target in model.bands)
        + ': a lower band means "look closer", never "guilty".'
    )


def _model_summary(model: FraudModel) -> str:
    bands = ", ".join(f"`{b}` p ≥ {cut:.3f}" for b, cut in model.thresholds_.items())
    slope, intercept = model.calibration_
    return (
        f"LightGBM binary ({model.params.n_estimators} trees, learning rate "
        f"{model.params.learning_rate}, {model.params.num_leaves} leaves) on "
        f"{len(model.feature_names_in_)} signals; Platt calibration sigmoid({slope:.3f}·raw "
        f"{intercept:+.3f}); bands: {bands}, else `low`; `insufficient_evidence` instead of a "
        "flag when the comment or follower sample is thin, and for a record with no evidence. "
        "See docs/decisions/0004-fraud-model.md."
    )


def _metric_tables(metrics: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(overall metrics, recall at 90% precision per archetype), each one column."""
    prefix = "recall_at_p90_"
    overall = {k: v for k, v in metrics.items() if not k.startswith(prefix)}
    per_archetype = {k.removeprefix(prefix): v for k, v in metrics.items() if k.startswith(prefix)}
    return (
        pd.DataFrame({"value": overall}).rename_axis("metric"),
        pd.DataFrame({"recall_at_p90": per_archetype}).rename_axis("archetype"),
    )


def model_card(
    model: FraudModel,
    metrics: dict[str, float],
    segments: dict[str, pd.DataFrame],
    reasons_table: pd.DataFrame,
    *,
    data: dict[str, object],
    plots: list[Path],
) -> str:
    """The markdown model card: intended use, data, metrics, metrics per segment, known limits."""
    overall, per_archetype = _metric_tables(metrics)
    sections = [
        "# Model card: creator fraud model",
        "## Intended use",
        _intended_use(model),
        "## Model",
        _model_summary(model),
        "## Data",
        "\n".join(f"- {k}: {v}" for k, v in data.items()),
        "## Metrics (validation split)",
        frame_table(overall),
        "Recall at 90% precision per fraud archetype:",
        frame_table(per_archetype),
        "## Metrics per segment",
        f"Recall of fraud and false-positive rate of clean creators per segment at each band "
        f'("–": fewer than {MIN_SEGMENT} creators of that class; `medium` counts medium and '
        f"high). Look-alikes "
        f"({', '.join(LOOK_ALIKES)}) are legitimate: their FPR is the one to watch.",
        *(f"### By {kind}\n\n{frame_table(t)}" for kind, t in segments.items()),
        "## Reasons",
        "How often each reason appears for creators above `low`:",
        frame_table(reasons_table),
        "## Known limits",
        "\n".join(f"- {limit}" for limit in KNOWN_LIMITS),
        "## Plots",
        "\n".join(f"- `{path.name}`" for path in plots),
    ]
    return "\n\n".join(sections) + "\n"


def _data_summary(table: pd.DataFrame, validation: int) -> dict[str, object]:
    counts = table["archetype"].value_counts().sort_index()
    return {
        "labelled creators": len(table),
        "fraud share": f"{table['is_fraud'].mean():.3f}",
        "validation split (trees never saw it)": validation,
        "archetypes": ", ".join(f"{name} {count}" for name, count in counts.items()),
    }


def write_fraud_report(
    model: FraudModel,
    frame: pd.DataFrame,
    labels: pd.DataFrame,
    out_dir: Path,
    *,
    context: pd.DataFrame,
) -> list[Path]:
    """Write roc / pr / calibration / reasons PNGs and model_card.md into `out_dir`; their paths.

    `frame` and `labels` are what `model` was fitted on (fraud_signal_frame output; columns
    creator_id, is_fraud, archetype); `context` is the creators' `fraud_context` (evidence counts
    for the bands, language and country segments).
    """
    table = aligned_labels(frame, labels)
    y_all = table["is_fraud"].to_numpy()
    if y_all.all() or not y_all.any():
        raise InvalidInput(f"expected labels of both classes for {len(frame)} creators")
    val = validation_rows(model, y_all)
    X, part = frame.iloc[val].loc[:, model.feature_names_in_], table.iloc[val]
    y, p = part["is_fraud"].to_numpy(), model.predict_proba(X)
    out_dir.mkdir(parents=True, exist_ok=True)
    reasons_table = reason_frequency(model, X, context)
    flagged = int(np.sum(scored(model, X, context)[1] != LOW))
    plots = write_plots(y, p, reasons_table, flagged, out_dir)
    metrics = evaluate_fraud(model, X, part.reset_index(), context=context)
    metrics["brier"] = float(np.mean((p - y) ** 2))
    card = model_card(
        model,
        metrics,
        segment_tables(model, X, part, context),
        reasons_table,
        data=_data_summary(table, len(val)),
        plots=plots,
    )
    card_path = out_dir / "fraud_model_card.md"
    card_path.write_text(card, encoding="utf-8")
    return [*plots, card_path]
