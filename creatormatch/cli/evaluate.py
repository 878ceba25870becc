"""`creatormatch evaluate matching`: real creators (Kim et al.) and campaigns on a held-out world.

Real creators: P@10 / nDCG@10 per category against BM25 and plain MiniLM. Campaigns: true
conversions per dollar of budgeted shortlists against followers, engagement, keyword and
embedding-only rankings (docs/decisions/0010).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from creatormatch.cli.evaluate_fraud import register_fraud

DEFAULT_BRIEFS = Path("docs/briefs/kim-dev.json")
# 400 creators per category (8 topics + `other` as distractors) with two posts or more: 3,302
# creators, ingested in a few minutes on two CPU cores. `--creators 0` takes all ~11k of them.
DEFAULT_PER_CATEGORY = 400
PARTS = ("kim", "campaigns")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("evaluate", help="measure the matcher on real data")
    what = parser.add_subparsers(dest="evaluation", required=True, metavar="WHAT")
    matching = what.add_parser(
        "matching",
        help="real creators (P@10 per Kim et al. category vs BM25, MiniLM) and campaigns "
        "(conversions per dollar on a held-out world vs followers, engagement, keyword, embedding)",
    )
    _data_arguments(matching)
    _campaign_arguments(matching)
    matching.set_defaults(func=run_matching)
    register_fraud(what)


def _data_arguments(matching: argparse.ArgumentParser) -> None:
    """Which parts run, and the real creators (Kim et al.) they read."""
    matching.add_argument(
        "--on",
        default=",".join(PARTS),
        help="comma-separated parts to run: kim, campaigns (default: both)",
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
        help="keep the evaluation homes and an embedding cache here (default: a temp dir)",
    )


def _campaign_arguments(matching: argparse.ArgumentParser) -> None:
    """The two synthetic worlds of the campaign part."""
    matching.add_argument(
        "--world-creators",
        type=int,
        default=2_000,
        metavar="N",
        help="creators in the training world and in the held-out world (default: 2000)",
    )
    matching.add_argument(
        "--brands",
        type=int,
        default=60,
        help="held-out brands, one budgeted brief each (default: 60)",
    )
    matching.add_argument(
        "--world-seed",
        type=int,
        default=100,
        help="the training world's seed; the held-out world is seed + 1 (default: 100)",
    )


def _parts(value: str) -> list[str]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        from creatormatch.core import InvalidInput

        raise InvalidInput(f"expected --on from {', '.join(PARTS)}, got {value!r}")
    return parts


def run_matching(args: argparse.Namespace) -> int:
    from creatormatch.core import InvalidInput

    parts = _parts(args.on)
    if args.creators < 0:
        raise InvalidInput(f"expected --creators >= 0 (0: all), got {args.creators}")
    if args.world_creators < 100 or args.brands < 1:
        raise InvalidInput(
            f"expected --world-creators >= 100 and --brands >= 1, "
            f"got {args.world_creators} and {args.brands}"
        )
    if "kim" in parts:
        run_kim(args)
    if "campaigns" in parts:
        run_campaigns(args)
    return 0


def run_kim(args: argparse.Namespace) -> None:
    from creatormatch.training import (
        evaluate_matching,
        format_table,
        load_briefs,
        summary_json,
    )

    start = time.perf_counter()
    briefs = load_briefs(args.briefs)
    result = evaluate_matching(
        args.data, briefs, per_category=args.creators or None, seed=args.seed, workdir=args.workdir
    )
    result.seconds["total"] = round(time.perf_counter() - start, 1)
    print(f"{sum(result.creators.values())} creators, {len(briefs)} briefs from {args.briefs}")
    print(format_table(result))
    print(summary_json(result))


def run_campaigns(args: argparse.Namespace) -> None:
    from creatormatch.features import load_embedder
    from creatormatch.training import campaigns_json, format_campaigns
    from creatormatch.world.evaluation import evaluate_campaigns

    with tempfile.TemporaryDirectory(prefix="cm-campaigns-") as tmp:
        work = args.workdir / "campaigns" if args.workdir else Path(tmp)
        result = evaluate_campaigns(
            work, creators=args.world_creators, brands=args.brands, seed=args.world_seed,
            embedder=load_embedder("minilm"), account_data=args.data,
        )  # fmt: skip
    print(
        f"\ncampaigns: {result.briefs} held-out brands, budgeted shortlists of up to k creators; "
        f"true conversions from the world's latent model (world seeds {args.world_seed} → "
        f"{args.world_seed + 1}, {args.world_creators} creators each)"
    )
    print(format_campaigns(result))
    print(campaigns_json(result))
