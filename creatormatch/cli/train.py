"""`creatormatch train`: fit the account, fraud and conversion models on the home's data."""

from __future__ import annotations

import argparse
from pathlib import Path

from creatormatch.cli import home_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("train", help="fit models on the home's data, register them in MLflow")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="labelled account data sets for the account model (default: ../shared/data)",
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
    )
    for line in report.lines():
        print(line)
    return 0
