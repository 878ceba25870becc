"""`creatormatch serve`: the HTTP API on uvicorn, from `CREATORMATCH_WORKERS` processes."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.core import Home


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help="serve the HTTP API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(func=run)


def serve(home: Home, host: str, port: int) -> int:
    from creatormatch.core import get_settings
    from creatormatch.serving import run as run_workers

    # Workers read their settings from the environment: the home chosen here must be in it.
    os.environ["CREATORMATCH_HOME"] = str(home.root)
    settings = get_settings().model_copy(update={"home": home.root})
    return run_workers(settings, host=host, port=port)


def run(args: argparse.Namespace) -> int:
    return serve(home_of(args), args.host, args.port)
