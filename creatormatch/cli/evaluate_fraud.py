"""`creatormatch evaluate fraud`: the fraud model on held-out synthetic worlds.

One held-out seed, the same creators at fraud intensity 1, 0.5 and 0.25. Prints the report of
training/fraud_eval.py (PR-AUC / ROC-AUC, recall per archetype, look-alike and country FPR, the
degradation curve, the goals), writes it to `<home>/reports/fraud.md`; the last line is JSON.
"""

from __future__ import annotations

import argparse
import time

DEFAULT_SEED = 1_000  # far from the demo (7) and the training seeds of the ADR (1-4)
DEFAULT_CREATORS = 6_000


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


def run_fraud(args: argparse.Namespace) -> int:
    from creatormatch.cli import home_of
    from creatormatch.core import InvalidInput
    from creatormatch.training import (
        evaluate_intensities,
        heldout_json,
        heldout_report,
        load_evaluated_model,
    )
    from creatormatch.world import synthetic_fraud_data

    if args.creators < 100:
        raise InvalidInput(f"expected --creators >= 100, got {args.creators}")
    home = home_of(args)
    model = load_evaluated_model(home)
    start = time.perf_counter()
    results = evaluate_intensities(
        model,
        lambda intensity: synthetic_fraud_data(
            seed=args.seed, n_creators=args.creators, intensities=(intensity,)
        ),
    )
    report = heldout_report(
        results, list(model.thresholds_), seed=args.seed, creators=args.creators
    )
    home.reports_dir.mkdir(parents=True, exist_ok=True)
    (home.reports_dir / "fraud.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    seconds = time.perf_counter() - start
    print(heldout_json(results, seed=args.seed, creators=args.creators, seconds=seconds))
    return 0
