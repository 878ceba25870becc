"""`creatormatch bench <what>`: measure a hot path on this machine and print a table + JSON line.

Each benchmark is a `_register_<name>(benches)` function listed in `BENCHES`; adding one is one
entry there. Benchmark code lives in `bench/` and is imported only when it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
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
    from creatormatch.bench.embed import main

    return main(n_texts=args.texts, repeats=args.repeats, seed=args.seed)


def _register_api(benches: SubParsers) -> None:
    parser = benches.add_parser("api", help="the real server on loopback: p50/p99, shortlists/s")
    parser.add_argument("--creators", type=_positive, default=100_000, help="indexed (100,000)")
    parser.add_argument("--requests", type=_positive, default=600, help="per level (600)")
    parser.add_argument("--clients", type=_positive, nargs="+", default=[1, 16, 64])
    parser.add_argument("--bench-home", type=Path, default=None, help="reuse this bench home")
    parser.add_argument("--workers", type=_positive, default=2, help="server processes (2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=_run_api)


def _run_api(args: argparse.Namespace) -> int:
    from creatormatch.bench.api import main

    return main(creators=args.creators, requests=args.requests, levels=tuple(args.clients),
                home=args.bench_home, workers=args.workers, seed=args.seed)  # fmt: skip


def _register_fraud(benches: SubParsers) -> None:
    parser = benches.add_parser("fraud", help="fraud scoring throughput, creators/s")
    parser.add_argument("--creators", type=int, default=100_000, help="scored (default 100,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic creators")
    parser.add_argument(
        "--workers", type=_positive, default=None, help="also on N local Dask workers (scale extra)"
    )
    parser.set_defaults(func=_run_fraud)


def _run_fraud(args: argparse.Namespace) -> int:
    from creatormatch.bench.fraud import main
    from creatormatch.cli import home_of
    from creatormatch.core import InvalidInput

    if args.creators < 100:
        raise InvalidInput(f"expected --creators >= 100, got {args.creators}")
    return main(
        creators=args.creators,
        seed=args.seed,
        model_dir=home_of(args).model_dir("fraud"),
        workers=args.workers,
    )


def _register_accounts(benches: SubParsers) -> None:
    parser = benches.add_parser("accounts", help="fake-account scoring throughput, accounts/s")
    parser.add_argument("--accounts", type=_positive, default=1_000_000, help="(1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw from the sets")
    parser.add_argument(
        "--workers", type=_positive, default=None, help="also on N local Dask workers (scale extra)"
    )
    parser.set_defaults(func=_run_accounts)


def _run_accounts(args: argparse.Namespace) -> int:
    from creatormatch.bench.accounts import main
    from creatormatch.cli import home_of

    return main(
        n=args.accounts,
        seed=args.seed,
        model_dir=home_of(args).model_dir("account"),
        workers=args.workers,
    )


def _register_ingest(benches: SubParsers) -> None:
    parser = benches.add_parser("ingest", help="ingest throughput per stage, creators/s")
    parser.add_argument("--creators", type=_positive, default=1_000, help="ingested (1,000)")
    parser.add_argument("--embedder", choices=("minilm", "stand-in"), default="minilm")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic world")
    parser.set_defaults(func=_run_ingest)


def _run_ingest(args: argparse.Namespace) -> int:
    from creatormatch.bench.ingest import main

    return main(creators=args.creators, seed=args.seed, embedder=args.embedder)


def _register_scale(benches: SubParsers) -> None:
    parser = benches.add_parser(
        "scale",
        help="score, ingest and fill an IVF index on 1 and 2 local Dask workers: throughput, ratio",
    )
    parser.add_argument("--creators", type=_positive, default=5_000, help="scored, ingested")
    parser.add_argument("--accounts", type=_positive, default=1_000_000, help="scored (1,000,000)")
    parser.add_argument(
        "--vectors", type=_positive, default=100_000, help="in the IVF index (100,000)"
    )
    parser.add_argument("--embedder", choices=("stand-in", "minilm"), default="stand-in")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeat", type=_positive, default=3, help="timed runs of each row, the fastest kept (3)"
    )
    parser.set_defaults(func=_run_scale)


def _run_scale(args: argparse.Namespace) -> int:
    from creatormatch.bench.scale import main

    return main(
        creators=args.creators,
        accounts=args.accounts,
        vectors=args.vectors,
        seed=args.seed,
        embedder=args.embedder,
        repeat=args.repeat,
    )


def _register_shortlist(benches: SubParsers) -> None:
    parser = benches.add_parser(
        "shortlist", help="end-to-end shortlists over N synthetic creators: p50/p99, recall@100"
    )
    parser.add_argument("--creators", type=_positive, default=100_000, help="indexed (100,000)")
    parser.add_argument("--briefs", type=_positive, default=100, help="distinct briefs (100)")
    parser.add_argument("--repeats", type=_positive, default=3, help="timed rounds (3)")
    parser.add_argument("--index", choices=("auto", "flat", "ivf"), default="auto")
    parser.add_argument("--embedder", choices=("stand-in", "minilm"), default="stand-in")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the built index here and reuse it"
    )
    parser.set_defaults(func=_run_shortlist)


def _run_shortlist(args: argparse.Namespace) -> int:
    from creatormatch.bench.shortlist import main

    return main(creators=args.creators, briefs=args.briefs, repeats=args.repeats,
                kind=args.index, embedder=args.embedder, seed=args.seed,
                workdir=args.workdir)  # fmt: skip


def _register_page(benches: SubParsers) -> None:
    parser = benches.add_parser(
        "page", help="the discovery page in headless Chromium: load and shortlist render times"
    )
    parser.add_argument("--creators", type=_positive, default=100_000, help="indexed (100,000)")
    parser.add_argument("--loads", type=_positive, default=20, help="page loads per state (20)")
    parser.add_argument("--shortlists", type=_positive, default=20, help="per k (20)")
    parser.add_argument("--k", type=_positive, nargs="+", default=[20, 200], help="(20 200)")
    parser.add_argument("--bench-home", type=Path, default=None, help="reuse this bench home")
    parser.add_argument("--chromium", default=None, help="browser binary (default: on PATH)")
    parser.add_argument("--chromedriver", default=None, help="its driver (default: on PATH)")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=_run_page)


def _run_page(args: argparse.Namespace) -> int:
    from creatormatch.bench.page import main

    return main(creators=args.creators, loads=args.loads, shortlists=args.shortlists,
                ks=tuple(args.k), home=args.bench_home, seed=args.seed,
                chromium=args.chromium, chromedriver=args.chromedriver)  # fmt: skip


BENCHES = (
    _register_embed,
    _register_api,
    _register_fraud,
    _register_accounts,
    _register_ingest,
    _register_scale,
    _register_shortlist,
    _register_page,
)


def register(sub: SubParsers) -> None:
    parser = sub.add_parser("bench", help="measure speed and agreement on this machine")
    benches = parser.add_subparsers(dest="bench", required=True, metavar="BENCH")
    for register_bench in BENCHES:
        register_bench(benches)
