"""`creatormatch world`: generate a synthetic influencer market and write it to a directory."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return number


def _intensity(value: str) -> float:
    number = float(value)
    if not 0.0 < number <= 4.0:
        raise argparse.ArgumentTypeError(f"expected an intensity in (0, 4], got {value}")
    return number


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "world", help="generate a synthetic world of creators, fraud and campaigns"
    )
    parser.add_argument("--creators", type=_positive, default=2_000, help="how many (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, byte-identical files")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument(
        "--brands", type=_positive, default=40, help="brands with campaigns (default 40)"
    )
    parser.add_argument(
        "--intensity", type=_intensity, default=1.0, help="fraud signal strength (default 1.0)"
    )
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    parser.add_argument(
        "--workers", type=_positive, default=min(4, os.cpu_count() or 1), help="render processes"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from creatormatch.world import WorldParams, generate_world, write_world

    started = time.perf_counter()
    params = WorldParams(
        n_creators=args.creators,
        seed=args.seed,
        n_brands=args.brands,
        fraud_intensity=args.intensity,
    )
    world = generate_world(params)
    generated = time.perf_counter()
    write_world(
        world, args.out, format=args.format, progress=not args.no_progress, workers=args.workers
    )
    done = time.perf_counter()
    print(
        f"{len(world)} creators, {len(world.briefs)} brands, {len(world.outcomes)} outcomes → "
        f"{args.out} (generate {generated - started:.1f} s, write {done - generated:.1f} s)"
    )
    return 0
