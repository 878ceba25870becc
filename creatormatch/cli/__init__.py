"""The `creatormatch` command line: one sub-command module per job, each with `register`.

Building the parser must stay cheap (`creatormatch --help`, every command's start): the
sub-command modules import only the standard library at the top, and everything else (settings,
pandas, FAISS, LightGBM, torch) inside the handler that needs it. Handlers are the edge that
reads `get_settings()` and passes values down.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormatch.core import Home

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Register]:
    from creatormatch.cli import (
        accounts,
        bench,
        demo,
        doctor,
        evaluate,
        ingest,
        keys,
        models,
        monitor,
        score,
        serve,
        shortlist,
        train,
        users,
        world,
    )

    return [
        world.register,
        ingest.register,
        doctor.register,
        train.register,
        models.register,
        monitor.register,
        shortlist.register,
        shortlist.register_similar,
        serve.register,
        demo.register,
        accounts.register,
        keys.register,
        users.register,
        evaluate.register,
        score.register,
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
    """`--home`, else the settings' home (`CREATORMATCH_HOME`)."""
    from creatormatch.core import Home, get_settings

    return Home(args.home if args.home is not None else get_settings().home)


def dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command; a known error is one line on stderr and exit code 2."""
    from pydantic import ValidationError

    from creatormatch.core import CreatorMatchError

    try:
        code: int = args.func(args)
    except CreatorMatchError as error:
        print(f"creatormatch: error: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        from creatormatch.features import describe

        problems = describe(error)
        more = f"; … and {len(problems) - 10} more" if len(problems) > 10 else ""
        print("creatormatch: error: " + "; ".join(problems[:10]) + more, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("creatormatch: interrupted", file=sys.stderr)
        return 130
    return code


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return dispatch(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
