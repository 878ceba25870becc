"""`creatormatch bench <what>`: measure a hot path on this machine and print a table + JSON line.

Each benchmark is a `_register_<name>(benches)` function listed in `BENCHES`; adding one is one
entry there. Benchmark code lives in `bench/` and is imported only when it runs.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return number


def _register_embed(benches: SubParsers) -> None:
    parser = benches.add_parser(
        "embed", help="sentence-transformers default encode vs the project's embedder"
    )
    parser.add_argument("--texts", type=_positive, default=512, help="how many texts (default 512)")
    parser.add_argument("--repeats", type=_positive, default=3, help="timed repeats (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic texts")
    parser.set_defaults(func=_run_embed)


def _run_embed(args: argparse.Namespace) -> int:
    from bench.embed import main

    return main(n_texts=args.texts, repeats=args.repeats, seed=args.seed)


BENCHES = (_register_embed,)


def register(sub: SubParsers) -> None:
    parser = sub.add_parser("bench", help="measure speed and agreement on this machine")
    benches = parser.add_subparsers(dest="bench", required=True, metavar="BENCH")
    for register_bench in BENCHES:
        register_bench(benches)
