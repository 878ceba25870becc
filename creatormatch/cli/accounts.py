"""`creatormatch accounts train|score`: the fake-account model on its own.

`score` reads a whole sample (a CSV, one account a row, any subset of the profile fields), prints
which fields it gave the model, and exits 0 when every row was scored and 1 when some rows carry an
`error` (the output file is written either way, so a script notices a partly bad input without
losing the good rows). `train` registers a challenger, as `creatormatch train` does: it serves
only if it passes the account model's gates (`creatormatch models promote` overrides).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from creatormatch.cli import home_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("accounts", help="train or apply the fake-account model")
    nested = parser.add_subparsers(dest="accounts_command", required=True, metavar="ACTION")
    train = nested.add_parser("train", help="fit on the public labelled sets, report across sets")
    train.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder of the public account data sets (default: ../shared/data when it exists)",
    )
    train.add_argument("--bootstrap", type=int, default=1000, help="resamples per interval")
    train.set_defaults(func=run_train)
    score = nested.add_parser(
        "score", help="score a sample (CSV, one account a row): add fake_probability, risk_band"
    )
    score.add_argument("input", type=Path, metavar="IN.csv")
    score.add_argument("--output", type=Path, required=True, metavar="OUT.csv")
    score.set_defaults(func=run_score)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_train(args: argparse.Namespace) -> int:
    from creatormatch.core import InvalidInput, get_settings, write_atomic
    from creatormatch.training import (
        challenge_accounts,
        default_data_dir,
        publish_reports,
        train_account_model,
    )

    data_dir = args.data if args.data is not None else default_data_dir()
    if data_dir is None or not data_dir.is_dir():
        raise InvalidInput(
            f"expected a folder of account data sets, got {data_dir}: pass --data DIR"
        )
    home = home_of(args).ensure()
    model, report = train_account_model(data_dir, n_boot=args.bootstrap, progress=_progress)
    table = report.markdown()
    write_atomic(home.reports_dir / "accounts.md", ("# Account model\n\n" + table).encode())
    print(table)
    tracking_uri = get_settings().mlflow_tracking_uri
    decision = challenge_accounts(home, model, report, data_dir, tracking_uri=tracking_uri)
    publish_reports(home, [decision])
    print(f"account model: {decision.line()}")
    return 0


def _fields_line(used: list[str], columns: list[str]) -> str:
    """Which profile fields the sample gave the model, and which columns it does not read."""
    from creatormatch.features import ACCOUNT_FIELDS

    unread = [c for c in columns if c not in ACCOUNT_FIELDS]
    counts = f"({len(used)} of the {len(ACCOUNT_FIELDS)} it reads)"
    line = f"fields used: {', '.join(used) or 'none'} {counts}"
    return line + (f"; columns not read: {', '.join(unread)}" if unread else "")


def run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from creatormatch.core import InvalidInput, NotReady, load_published
    from creatormatch.models import AccountModel, score_accounts

    directory = home_of(args).model_dir("account")
    model, _ = load_published(AccountModel.load, directory)
    if model is None:
        raise NotReady(f"no account model in {directory}: run `creatormatch accounts train` first")
    try:
        frame = pd.read_csv(args.input, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(f"expected a readable CSV at {args.input}: {error}") from error
    _progress(f"accounts: scoring {len(frame)} rows")
    scored = score_accounts(frame, model)
    scored.frame.to_csv(args.output, index=False)
    print(_fields_line(scored.fields_used, list(frame.columns)))
    errors = int(scored.frame["error"].notna().sum())
    if errors:
        print(f"{errors} of {len(frame)} rows have an invalid value (see `error`)", file=sys.stderr)
    return 1 if errors else 0
