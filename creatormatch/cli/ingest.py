"""`creatormatch ingest`, `outcomes ingest`, `labels ingest`: bring user data into the home."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.core import Home
    from creatormatch.features import Rejection
    from creatormatch.matching import SideTableReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("ingest", help="validate creator records, embed them, update the index")
    parser.add_argument(
        "file", help="creator records, .jsonl or .parquet: a path or a URL (s3://… with s3fs)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, help="local Dask workers (scale extra)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler")
    parser.set_defaults(func=run)
    for noun, helptext in (
        ("outcomes", "campaign results (impressions, clicks, conversions)"),
        ("labels", "creators known to be fraudulent or clean"),
    ):
        group = sub.add_parser(noun, help=f"manage {helptext}")
        verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
        verb = verbs.add_parser("ingest", help=f"add {helptext} for the next training")
        verb.add_argument("file", type=Path, help=".jsonl, .csv or .parquet")
        verb.set_defaults(func=run_side_table, table=noun)


def report_rejections(rejections: list[Rejection]) -> None:
    for rejection in rejections[:50]:
        print(f"rejected {rejection}", file=sys.stderr)
    if len(rejections) > 50:
        print(f"… and {len(rejections) - 50} more rejected", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from creatormatch.core import InvalidInput, get_settings
    from creatormatch.features import load_embedder
    from creatormatch.matching import (
        dask_client,
        ingest_file,
        ingest_on_cluster,
        input_source,
        local_file,
    )

    if args.workers is not None and args.workers < 1:
        raise InvalidInput(f"--workers: expected a positive number of workers, got {args.workers}")
    source = input_source(args.file, flag="FILE")
    kind = get_settings().embedder
    embedder = load_embedder(kind)
    if args.workers is None and args.scheduler is None:
        with local_file(source, flag="FILE") as path:
            report = ingest_file(
                home_of(args), path, embedder=embedder, progress=not args.no_progress
            )
    else:
        with dask_client(workers=args.workers, scheduler=args.scheduler) as client:
            report = ingest_on_cluster(client, home_of(args), source, embedder=embedder, kind=kind)
    report_rejections(report.rejections)
    print(report.summary())
    return 1 if report.rejections else 0


def run_side_table(args: argparse.Namespace) -> int:
    from creatormatch.matching import ingest_labels, ingest_outcomes

    ingest: Callable[[Home, Path], SideTableReport[Any]]
    ingest = ingest_outcomes if args.table == "outcomes" else ingest_labels
    report = ingest(home_of(args), args.file)
    report_rejections(report.rejections)
    print(report.summary())
    return 1 if report.rejections else 0
