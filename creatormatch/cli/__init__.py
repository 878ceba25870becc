"""The `creatormatch` command line: one sub-command module per job, each with `register`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from creatormatch.core.errors import CreatorMatchError
from creatormatch.core.settings import Home, get_settings
from creatormatch.features.reading import describe

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Register]:
    from creatormatch.cli import (
        accounts,
        bench,
        demo,
        evaluate,
        ingest,
        keys,
        models,
        serve,
        shortlist,
        train,
        world,
    )

    return [
        world.register,
        ingest.register,
        train.register,
        models.register,
        shortlist.register,
        shortlist.register_similar,
        serve.register,
        demo.register,
        accounts.register,
        keys.register,
        evaluate.register,
        bench.register,
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="creatormatch",
        description="Match creators to a brand's ideal customer, score fraud, serve shortlists.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="where all state lives (default: $CREATORMATCH_HOME or ./.creatormatch)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _registrars():
        register(sub)
    return parser


def home_of(args: argparse.Namespace) -> Home:
    return Home(args.home if args.home is not None else get_settings().home)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except CreatorMatchError as error:
        print(f"creatormatch: error: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print("creatormatch: error: " + "; ".join(describe(error)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("creatormatch: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
