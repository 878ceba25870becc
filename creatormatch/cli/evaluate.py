"""`creatormatch evaluate matching`: real creators, a held-out world's niches, and campaigns.

Real creators (Kim et al. Instagram creators, YouTube channels): P@10 / nDCG@10 per category
against BM25 and plain MiniLM, for every brief set of the data set in docs/briefs (old ones
included: a report shows every set). World: the share of on-niche creators in the top 10 for
every niche, for brand briefs, hand-written briefs and `similar`. Campaigns: true conversions per
dollar of budgeted shortlists against followers, engagement, keyword and embedding-only rankings
(docs/decisions/0010).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from creatormatch.cli.evaluate_fraud import register_fraud

BRIEFS_DIR = Path("docs/briefs")
# 400 creators per category with two posts or more: 3,302 Kim creators (8 topics + `other` as
# distractors), 4,422 YouTube channels (14 categories), each ingested in a few minutes on two CPU
# cores. `--creators 0` takes all of them (~11k each).
DEFAULT_PER_CATEGORY = 400
PARTS = ("kim", "youtube", "world", "campaigns")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("evaluate", help="measure the matcher on real data")
    what = parser.add_subparsers(dest="evaluation", required=True, metavar="WHAT")
    matching = what.add_parser(
        "matching",
        help="real creators (P@10 per Kim et al. and YouTube category vs BM25, MiniLM), a held-out "
        "world's niches, and campaigns (conversions per dollar vs followers, engagement, keyword, "
        "embedding)",
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
        help="comma-separated parts to run: kim, youtube, world, campaigns (default: all)",
    )
    matching.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="folder holding kim-instagram-influencers/ and youtube-trending-dev/ "
        "(default: ../shared/data)",
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
        action="append",
        metavar="FILE",
        help=f"a briefs JSON named <part>-*.json, repeatable (default: every {BRIEFS_DIR}/"
        "<part>-*.json of each part; for world, not its -dev sets, which need --world-seed 200)",
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
    for part in ("kim", "youtube"):
        if part in parts:
            run_real(args, part)
    if "world" in parts:
        run_world(args)
    if "campaigns" in parts:
        run_campaigns(args)
    return 0


def brief_files(args: argparse.Namespace, part: str) -> list[Path]:
    """The brief sets of `part`: those named `<part>-*.json` among --briefs, else all of them but
    the world's development sets, which are judged on a development world (docs/briefs)."""
    from creatormatch.core import InvalidInput

    if args.briefs:
        chosen = [p for p in args.briefs if p.name.startswith(f"{part}-")]
    else:
        chosen = sorted(BRIEFS_DIR.glob(f"{part}-*.json"))
        if part == "world":  # the default world is the held-out one
            chosen = [p for p in chosen if not p.stem.endswith("-dev")]
    missing = [str(p) for p in chosen if not p.is_file()]
    if missing:
        raise InvalidInput(f"expected --briefs files, found no {', '.join(missing)}")
    return chosen


def run_real(args: argparse.Namespace, part: str) -> None:
    from creatormatch.training import (
        evaluate_matching,
        format_table,
        kim_sample,
        load_briefs,
        summary_json,
        youtube_creators,
    )

    files = brief_files(args, part)
    if not files:
        return
    per_category = args.creators or None
    load = kim_sample if part == "kim" else youtube_creators
    creators = load(args.data, per_category=per_category, seed=args.seed)
    work = args.workdir / part if args.workdir else None
    for path in files:
        start = time.perf_counter()
        briefs = load_briefs(path, creators.categories)
        result = evaluate_matching(creators, briefs, workdir=work)
        result.seconds["total"] = round(time.perf_counter() - start, 1)
        print(
            f"\n{part}: {sum(result.creators.values())} creators, {len(briefs)} briefs from {path}"
        )
        print(format_table(result))
        print(summary_json(result))


def run_world(args: argparse.Namespace) -> None:
    from creatormatch.features import INTERESTS, load_embedder
    from creatormatch.training import load_briefs
    from creatormatch.world.niche_eval import evaluate_niches, format_niches, niches_json

    natural = {p.stem: load_briefs(p, INTERESTS) for p in brief_files(args, "world")}
    with tempfile.TemporaryDirectory(prefix="cm-niches-") as tmp:
        work = args.workdir / "campaigns" if args.workdir else Path(tmp)
        result = evaluate_niches(
            work, natural, creators=args.world_creators, seed=args.world_seed,
            embedder=load_embedder("minilm"), account_data=args.data,
        )  # fmt: skip
    print(
        f"\nworld: share of the top {10} on the brief's niche, held-out world seed "
        f"{args.world_seed + 1} ({result.creators} creators), models trained on seed "
        f"{args.world_seed}"
    )
    print(format_niches(result))
    print(niches_json(result))


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
