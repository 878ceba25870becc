"""`creatormatch score fraud|accounts --input FILE --output FILE`: batch scoring of a file.

Fraud: creator records in, one row per record out (creator_id, probability, band, reasons of the
flagged). Accounts: one account a row in, (username, probability, band, fields_used) out. JSONL,
CSV or Parquet by extension, streamed in chunks; the input may be a URL (s3://… with s3fs).
`--workers N` scores the chunks on a local Dask cluster, `--scheduler ADDRESS` on a running one
(the `scale` extra). Exit 0 when every row was scored, 1 when some carry an `error` (the file is
written either way), 2 on an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from creatormatch.cli import home_of


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return number


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("score", help="score a file of creators (fraud) or accounts")
    kinds = parser.add_subparsers(dest="score_kind", required=True, metavar="KIND")
    for kind, helptext in (
        ("fraud", "fraud probability, band and reasons of creator records"),
        ("accounts", "fake-account probability and band of follower or commenter accounts"),
    ):
        command = kinds.add_parser(kind, help=helptext)
        command.add_argument("--input", required=True, metavar="FILE", help="a path or a URL")
        command.add_argument("--output", type=Path, required=True, metavar="FILE")
        command.add_argument("--chunk", type=_positive, default=None, help="rows per chunk")
        where = command.add_mutually_exclusive_group()
        where.add_argument("--workers", type=_positive, default=None, help="local Dask workers")
        where.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler")
        command.set_defaults(func=run, kind=kind)


def run(args: argparse.Namespace) -> int:
    from contextlib import AbstractContextManager, nullcontext
    from typing import Any

    from creatormatch.matching import dask_client, input_source, score_file

    home = home_of(args)
    cluster: AbstractContextManager[Any]
    if args.workers is None and args.scheduler is None:
        cluster = nullcontext(None)
    else:
        cluster = dask_client(workers=args.workers, scheduler=args.scheduler)
    source = input_source(args.input, flag="--input")
    with cluster as client:
        summary = score_file(args.kind, home, source, args.output, chunk=args.chunk, client=client)
    print(summary.line(args.kind))
    if summary.errors:
        print(f"{summary.errors:,} rows could not be scored (see `error`)", file=sys.stderr)
    return 1 if summary.errors else 0
