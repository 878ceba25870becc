"""`creatormatch train`: fit the account, fraud, conversion and reach models on the home's data;
each is registered as challenger and becomes champion only if it passes its gates."""

from __future__ import annotations

import argparse
from pathlib import Path

from creatormatch.cli import home_of


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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from creatormatch.core import get_settings
    from creatormatch.features import load_embedder
    from creatormatch.training import train_all

    settings = get_settings()
    report = train_all(
        home_of(args),
        embedder=load_embedder(settings.embedder),
        data_dir=args.data,
        tracking_uri=settings.mlflow_tracking_uri,
        new_eval_set=args.new_eval_set,
    )
    for line in report.lines():
        print(line)
    return 0
