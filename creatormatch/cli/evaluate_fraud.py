"""`creatormatch evaluate fraud` (and `bench fraud`): the fraud model on held-out synthetic worlds.

One held-out seed, the same creators at fraud intensity 1, 0.5 and 0.25 (the clean creators are
identical across intensities: only how loud the fraud is changes). Prints PR-AUC / ROC-AUC, recall
at 90% precision per archetype, FPR on the legitimate look-alikes, FPR by creator country with a
homogeneity test, and the degradation curve; writes the same to `<home>/reports/fraud.md`; the last
line is JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from typing import Any

import pandas as pd

DEFAULT_SEED = 1_000  # far from the demo (7) and the training seeds of the ADR (1-4)
DEFAULT_CREATORS = 6_000
INTENSITIES = (1.0, 0.5, 0.25)
MIN_COUNTRY_CLEAN = 100  # as training/fraud.py: smaller countries are too noisy to compare
GOALS = {"pr_auc": 0.90, "lookalike_fpr": 0.05, "country_ratio": 1.25}


def register_fraud(evaluate_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = evaluate_sub.add_parser(
        "fraud", help="PR-AUC, recall per archetype, look-alike and country FPR on held-out worlds"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"held-out world seed (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--creators",
        type=int,
        default=DEFAULT_CREATORS,
        metavar="N",
        help=f"creators per intensity (default {DEFAULT_CREATORS}; 30000 for country FPR)",
    )
    parser.set_defaults(func=run_fraud)


def register_fraud_bench(benches: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`creatormatch bench fraud`: here so the CLI never imports `bench/` until it runs."""
    parser = benches.add_parser("fraud", help="fraud scoring throughput, creators/s")
    parser.add_argument("--creators", type=int, default=100_000, help="scored (default 100,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic creators")
    parser.set_defaults(func=run_fraud_bench)


def run_fraud_bench(args: argparse.Namespace) -> int:
    from creatormatch.bench.fraud import main
    from creatormatch.cli import home_of
    from creatormatch.core.errors import InvalidInput

    if args.creators < 100:
        raise InvalidInput(f"expected --creators >= 100, got {args.creators}")
    return main(creators=args.creators, seed=args.seed, model_dir=home_of(args).model_dir("fraud"))


def country_fpr(flagged: pd.Series, clean: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """Clean creators and FPR per country (≥ MIN_COUNTRY_CLEAN clean creators), lowest FPR first."""
    table = pd.DataFrame({"flagged": flagged[clean], "country": countries[clean]})
    stats = table.groupby("country")["flagged"].agg(clean="size", fpr="mean")
    return stats.loc[stats["clean"] >= MIN_COUNTRY_CLEAN].sort_values("fpr")


def homogeneity_p(stats: pd.DataFrame) -> float:
    """Chi-square p-value of "every country has the same FPR" (flagged vs not, per country)."""
    from scipy.stats import chi2_contingency

    flagged = (stats["fpr"] * stats["clean"]).round()
    observed = pd.concat([flagged, stats["clean"] - flagged], axis=1).to_numpy()
    return float(chi2_contingency(observed).pvalue) if observed[:, 0].sum() > 0 else 1.0


def evaluate_world(model: Any, *, seed: int, creators: int, intensity: float) -> dict[str, Any]:
    """Metrics of `model` on one fresh world, plus FPR by country at each band."""
    from creatormatch.features import fraud_signal_frame
    from creatormatch.training.fraud import aligned_labels, evaluate_fraud, synthetic_fraud_data

    records, labels = synthetic_fraud_data(seed=seed, n_creators=creators, intensities=(intensity,))
    countries = pd.Series({r.creator_id: r.country or "unknown" for r in records})
    frame = fraud_signal_frame(records, benchmark=model.benchmark_).loc[:, model.feature_names_in_]
    metrics = evaluate_fraud(model, frame, labels, countries=countries)
    clean = ~aligned_labels(frame, labels)["is_fraud"]
    p = pd.Series(model.predict_proba(frame), index=frame.index)
    by_country = {
        band: country_fpr(p >= cut, clean, countries.reindex(frame.index))
        for band, cut in model.thresholds_.items()
    }
    return {"metrics": metrics, "countries": by_country}


def _row(values: list[Any]) -> str:
    return "| " + " | ".join(str(v) for v in values) + " |"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return [_row(header), "|" + "---|" * len(header), *(_row(r) for r in rows)]


def _f(value: float) -> str:
    return "–" if value != value else f"{value:.3f}"


def format_report(results: dict[float, dict[str, Any]], bands: list[str]) -> list[str]:
    """Markdown lines: ranking per intensity, recall per archetype, look-alike and country FPR."""
    m = {i: r["metrics"] for i, r in results.items()}
    keys = ["pr_auc", "roc_auc", "recall_at_p90"] + [
        f"{k}_{b}" for b in bands for k in ("precision", "recall", "fpr")
    ]
    lines = ["## Degradation as fraud gets subtler", ""]
    lines += _table(["intensity", *keys], [[i, *(_f(m[i][k]) for k in keys)] for i in m])
    archetypes = sorted({k[14:] for k in m[1.0] if k.startswith("recall_at_p90_")})
    lines += ["", "## Recall at 90% precision per archetype", ""]
    lines += _table(
        ["archetype", *map(str, m)],
        [[a, *(_f(m[i].get(f"recall_at_p90_{a}", math.nan)) for i in m)] for a in archetypes],
    )
    lines += [
        "",
        "## FPR on legitimate look-alikes (negatives are the same at every intensity)",
        "",
    ]
    from creatormatch.training.fraud import LOOK_ALIKES

    lines += _table(
        ["band", *LOOK_ALIKES, "all clean"],
        [
            [b, *(_f(m[1.0][f"fpr_{b}_{a}"]) for a in LOOK_ALIKES), _f(m[1.0][f"fpr_{b}"])]
            for b in bands
        ],
    )
    for band in bands:
        stats = results[1.0]["countries"][band]
        ratio, p_value = m[1.0][f"fpr_{band}_country_max_min_ratio"], homogeneity_p(stats)
        lines += ["", f"## FPR by creator country at `{band}` (≥ {MIN_COUNTRY_CLEAN} clean)", ""]
        lines += _table(
            ["country", "clean", "fpr"],
            [[c, int(s["clean"]), _f(s["fpr"])] for c, s in stats.iterrows()],
        )
        lines += ["", f"max/min ratio {ratio:.2f}; chi-square p (equal FPR) {p_value:.3g}"]
    return lines


def goals(results: dict[float, dict[str, Any]]) -> dict[str, bool]:
    m = {i: r["metrics"] for i, r in results.items()}
    from creatormatch.training.fraud import LOOK_ALIKES

    return {
        "pr_auc_ge_0.90_every_intensity": all(v["pr_auc"] >= GOALS["pr_auc"] for v in m.values()),
        "lookalike_fpr_high_le_0.05": all(
            m[1.0][f"fpr_high_{a}"] <= GOALS["lookalike_fpr"] for a in LOOK_ALIKES
        ),
        "country_ratio_high_le_1.25": m[1.0]["fpr_high_country_max_min_ratio"]
        <= GOALS["country_ratio"],
    }


def _finite(value: Any) -> Any:
    """NaN and infinities as None: JSON has no NaN."""
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run_fraud(args: argparse.Namespace) -> int:
    from creatormatch.cli import home_of
    from creatormatch.core.errors import InvalidInput, NotReady
    from creatormatch.models import FraudModel

    if args.creators < 100:
        raise InvalidInput(f"expected --creators >= 100, got {args.creators}")
    home = home_of(args)
    if not (home.model_dir("fraud") / "manifest.json").is_file():
        raise NotReady(f"no fraud model in {home.root}: run `creatormatch train` first")
    model, _ = FraudModel.load(home.model_dir("fraud"))
    if model.benchmark_ is None:
        raise NotReady("this fraud model was saved without its engagement benchmark: retrain it")
    start = time.perf_counter()
    results = {
        i: evaluate_world(model, seed=args.seed, creators=args.creators, intensity=i)
        for i in INTENSITIES
    }
    head = f"# Fraud model on held-out worlds (seed {args.seed}, {args.creators} creators each)"
    met = goals(results)
    lines = [head, "", *format_report(results, list(model.thresholds_)), ""]
    lines += [f"- {goal}: {'met' if ok else 'NOT met'}" for goal, ok in met.items()]
    home.reports_dir.mkdir(parents=True, exist_ok=True)
    (home.reports_dir / "fraud.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    summary = {
        "seed": args.seed,
        "creators": args.creators,
        "seconds": round(time.perf_counter() - start, 1),
        "goals": met,
        "metrics": {str(i): r["metrics"] for i, r in results.items()},
    }
    print(json.dumps(_finite(summary)))
    return 0
