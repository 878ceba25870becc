"""`creatormatch serve`: the HTTP API on uvicorn."""

from __future__ import annotations

import argparse

from creatormatch.cli import home_of
from creatormatch.settings import Home, get_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help="serve the HTTP API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(func=run)


def serve(home: Home, host: str, port: int) -> None:
    import uvicorn

    from serving.app import create_app

    settings = get_settings().model_copy(update={"home": home.root})
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def run(args: argparse.Namespace) -> int:
    serve(home_of(args), args.host, args.port)
    return 0
