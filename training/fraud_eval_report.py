"""The held-out fraud evaluation as markdown, plots and one JSON line (`creatormatch evaluate
fraud`): degradation per intensity, recall per archetype, look-alike FPR, the evidence-size
curve, FPR per language and country with 95 % intervals and a permutation test, and the goals.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from creatormatch.training.fraud import LOOK_ALIKES
from creatormatch.training.fraud_eval import GROUPS, THIN_ROWS, Fairness, HeldOut
from creatormatch.training.fraud_fairness import FAIR_P, MIN_GROUP_CLEAN, PERMUTATIONS
from creatormatch.training.fraud_plots import plot_evidence_curve, plot_group_fpr
from creatormatch.training.markdown import cell, frame_table, pipe_table

GOALS = {"pr_auc": 0.90, "lookalike_fpr": 0.05}
BANDS = ("high", "medium")


def goals(results: dict[float, HeldOut]) -> dict[str, bool]:
    """Each goal of the held-out evaluation (issue 13) and whether it is met."""
    loud = next(iter(results.values()))
    thin = loud.evidence.loc[loud.evidence.index.isin(THIN_ROWS)]
    met = {
        "pr_auc_ge_0.90_every_intensity": all(
            r.metrics["pr_auc"] >= GOALS["pr_auc"] for r in results.values()
        ),
        "lookalike_fpr_high_le_0.05": all(
            loud.metrics[f"fpr_high_{a}"] <= GOALS["lookalike_fpr"]
            for a in LOOK_ALIKES
            if not math.isnan(loud.metrics[f"fpr_high_{a}"])
        ),
        "no_clean_high_with_le_5_comments_or_le_20_followers": int(thin["clean_high"].sum()) == 0,
    }
    for (band, group), (_, p) in loud.fairness.items():
        met[f"{group}_fpr_{band}_equal_p_gt_{FAIR_P}"] = p > FAIR_P
    return met


def _degradation(results: dict[float, HeldOut]) -> list[str]:
    keys = ["pr_auc", "roc_auc", "recall_at_p90"]
    keys += [f"{k}_{b}" for b in BANDS for k in ("precision", "recall", "fpr")]
    keys += ["insufficient_clean", "insufficient_fraud"]
    rows = [[i, *(cell(r.metrics[k]) for k in keys)] for i, r in results.items()]
    return ["## Degradation as fraud gets subtler", "", *pipe_table(["intensity", *keys], rows)]


def _archetype_recall(results: dict[float, HeldOut]) -> list[str]:
    prefix = "recall_at_p90_"
    loud = next(iter(results.values())).metrics
    archetypes = sorted(k.removeprefix(prefix) for k in loud if k.startswith(prefix))
    rows = [
        [a, *(cell(r.metrics.get(prefix + a, math.nan)) for r in results.values())]
        for a in archetypes
    ]
    header = ["archetype", *(f"intensity {i}" for i in results)]
    return ["", "## Recall at 90% precision per archetype", "", *pipe_table(header, rows)]


def _lookalikes(loud: dict[str, float]) -> list[str]:
    rows = [
        [b, *(cell(loud[f"fpr_{b}_{a}"]) for a in LOOK_ALIKES), cell(loud[f"fpr_{b}"])]
        for b in BANDS
    ]
    return [
        "",
        "## FPR on legitimate look-alikes (at `medium`: medium or high)",
        "",
        *pipe_table(["band", *LOOK_ALIKES, "all clean"], rows),
    ]


def _evidence(curve: pd.DataFrame) -> list[str]:
    return [
        "",
        "## Evidence-size curve (loud world)",
        "",
        "By comments sampled per creator, then every creator with its sample cut down. "
        "`insufficient_clean`: share of clean creators left without a verdict; "
        "`recall_flagged`: fraud in any band but `low`.",
        "",
        frame_table(curve),
    ]


def _interval(row: pd.Series) -> str:
    return f"{row['fpr']:.3f} [{row['low']:.3f}, {row['high']:.3f}]"


def _fairness(fairness: Fairness, *, title: str = "") -> list[str]:
    lines = []
    for group in GROUPS:
        tables = {band: fairness[(band, group)] for band in BANDS}
        keys = sorted(set().union(*(t.index for t, _ in tables.values())))
        rows = [
            [
                key,
                int(tables[BANDS[0]][0].loc[key, "clean"]),
                *(_interval(t.loc[key]) if key in t.index else "–" for t, _ in tables.values()),
            ]
            for key in keys
        ]
        lines += [
            "",
            f"## FPR by creator {group}{title} (≥ {MIN_GROUP_CLEAN} clean; 95 % Wilson intervals)",
            "",
            *pipe_table([group, "clean", *(f"fpr_{b}" for b in BANDS)], rows),
            "",
            "Permutation test of equal FPR ("
            + f"{PERMUTATIONS:,} shuffles{', within each world' if title else ''}): "
            + "; ".join(f"`{band}` p = {p:.3f}" for band, (_, p) in tables.items()),
        ]
    return lines


def pooled_section(seeds: list[int], fairness: Fairness) -> list[str]:
    """The FPR tables and permutation tests of the loud worlds of `seeds` taken together."""
    return _fairness(fairness, title=f", pooled over seeds {', '.join(map(str, seeds))}")


def heldout_report(
    results: dict[float, HeldOut], *, seed: int, creators: dict[float, int], extra: list[str]
) -> str:
    """The whole markdown report: every table, `extra` sections, and whether each goal is met."""
    sizes = ", ".join(f"{n:,} at intensity {i}" for i, n in creators.items())
    loud = next(iter(results.values()))
    lines = [f"# Fraud model on held-out worlds (seed {seed}; {sizes})", ""]
    lines += _degradation(results) + _archetype_recall(results) + _lookalikes(loud.metrics)
    lines += _evidence(loud.evidence) + _fairness(loud.fairness) + extra
    lines += ["", "## Goals", ""]
    lines += [f"- {goal}: {'met' if ok else 'NOT met'}" for goal, ok in goals(results).items()]
    return "\n".join(lines)


def write_heldout_plots(loud: HeldOut, out_dir: Path) -> list[Path]:
    """The evidence-size curve and the FPR per language and per country, as PNGs in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [plot_evidence_curve(loud.evidence, out_dir / "fraud_evidence_curve.png")]
    for group in GROUPS:
        tables = {band: loud.fairness[(band, group)] for band in BANDS}
        paths.append(plot_group_fpr(tables, group, out_dir / f"fraud_fpr_by_{group}.png"))
    return paths


def _finite(value: Any) -> Any:
    """NaN and infinities as None: JSON has no NaN."""
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _p_values(fairness: Fairness) -> dict[str, float]:
    return {f"{g}_{b}": p for (b, g), (_, p) in fairness.items()}


def heldout_json(
    results: dict[float, HeldOut],
    *,
    seed: int,
    seconds: float,
    pooled: tuple[list[int], Fairness] | None = None,
) -> str:
    loud = next(iter(results.values()))
    summary = {
        "seed": seed,
        "seconds": round(seconds, 1),
        "goals": goals(results),
        "metrics": {str(i): r.metrics for i, r in results.items()},
        "fairness_p": _p_values(loud.fairness),
        "evidence": loud.evidence.to_dict(orient="index"),
    }
    if pooled is not None:
        summary |= {"pooled_seeds": pooled[0], "pooled_fairness_p": _p_values(pooled[1])}
    return json.dumps(_finite(summary))
