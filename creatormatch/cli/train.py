"""`creatormatch train`: fit the account, fraud, conversion and reach models on the home's data;
each is registered as challenger and becomes champion only if it passes its gates.

`--workers N` grows the fraud and conversion boosters with lightgbm.dask on a local cluster of N
processes, `--scheduler ADDRESS` on a running one (the `scale` extra; docs/decisions/0023).
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.models import Fitter


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "train",
        help="fit models on the home's data, register them in MLflow, promote those that pass "
        "their gates",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="labelled account data sets for the account model (default: ../shared/data)",
    )
    parser.add_argument(
        "--new-eval-set",
        action="store_true",
        help="freeze new evaluation sets from today's data before judging (the champion is "
        "scored on them too)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, default=None, help="grow the boosters on N local Dask workers"
    )
    where.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="grow the boosters on this cluster"
    )
    parser.set_defaults(func=run)


def cluster(args: argparse.Namespace) -> AbstractContextManager[Any]:
    """The Dask client `--workers` or `--scheduler` asks for (None without either); InvalidInput
    naming the flag for a bad value, an address that is not one, or a scheduler out of reach."""
    from creatormatch.core import InvalidInput
    from creatormatch.matching import dask_client

    if args.workers is None and args.scheduler is None:
        return nullcontext(None)
    if args.workers is not None and args.workers < 1:
        raise InvalidInput(f"--workers: expected a positive number of workers, got {args.workers}")
    try:
        return dask_client(workers=args.workers, scheduler=args.scheduler)
    except (ValueError, OSError) as error:
        if args.scheduler is None:
            raise
        raise InvalidInput(
            f"--scheduler: no Dask scheduler at {args.scheduler!r}: {error}"
        ) from error


def run(args: argparse.Namespace) -> int:
    from creatormatch.core import get_settings
    from creatormatch.features import load_embedder
    from creatormatch.training import ClusterFitter, train_all

    settings = get_settings()
    with cluster(args) as client:
        fitter: Fitter | None = None if client is None else ClusterFitter(client)
        report = train_all(
            home_of(args),
            embedder=load_embedder(settings.embedder),
            data_dir=args.data,
            tracking_uri=settings.mlflow_tracking_uri,
            new_eval_set=args.new_eval_set,
            fitter=fitter,
        )
    for line in report.lines():
        print(line)
    return 0
