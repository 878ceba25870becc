"""`creatormatch evaluate matching`: P@10 / nDCG@10 on the real Kim et al. creators."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from creatormatch.cli.evaluate_fraud import register_fraud

DEFAULT_BRIEFS = Path("docs/briefs/kim-dev.json")
# 400 creators per category (8 topics + `other` as distractors) with two posts or more: 3,302
# creators, ingested in a few minutes on two CPU cores. `--creators 0` takes all ~11k of them.
DEFAULT_PER_CATEGORY = 400


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("evaluate", help="measure the matcher on real data")
    what = parser.add_subparsers(dest="evaluation", required=True, metavar="WHAT")
    matching = what.add_parser(
        "matching",
        help="P@10 and nDCG@10 per Kim et al. category: our matcher, BM25, plain MiniLM",
    )
    matching.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="folder holding kim-instagram-influencers/ (default: ../shared/data)",
    )
    matching.add_argument(
        "--creators",
        type=int,
        default=DEFAULT_PER_CATEGORY,
        metavar="N",
        help=f"creators per category, stratified, with >= 2 posts (default: "
        f"{DEFAULT_PER_CATEGORY}; 0: all)",
    )
    matching.add_argument(
        "--briefs",
        type=Path,
        default=DEFAULT_BRIEFS,
        help=f"briefs JSON (default: {DEFAULT_BRIEFS})",
    )
    matching.add_argument("--seed", type=int, default=0, help="sampling seed (default: 0)")
    matching.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the evaluation home and an embedding cache here (default: a temp dir)",
    )
    matching.set_defaults(func=run_matching)
    register_fraud(what)


def run_matching(args: argparse.Namespace) -> int:
    from training.matching_eval import evaluate_matching, format_table, load_briefs, summary_json

    if args.creators < 0:
        from creatormatch.errors import InvalidInput

        raise InvalidInput(f"expected --creators >= 0 (0: all), got {args.creators}")
    start = time.perf_counter()
    briefs = load_briefs(args.briefs)
    result = evaluate_matching(
        args.data, briefs, per_category=args.creators or None, seed=args.seed, workdir=args.workdir
    )
    result.seconds["total"] = round(time.perf_counter() - start, 1)
    print(f"{sum(result.creators.values())} creators, {len(briefs)} briefs from {args.briefs}")
    print(format_table(result))
    print(summary_json(result))
    return 0
