"""`creatormatch models list|promote`: the registry's versions, and moving `champion` by hand."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from creatormatch.cli import home_of

SHOWN_METRICS = 3
# training.promotion.MODELS, spelled out so that building the parser imports no training code
# (a test keeps the two equal).
MODELS = ("account", "fraud", "conversion", "reach")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("models", help="list registered model versions; promote one")
    what = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = what.add_parser("list", help="every registered version, champion marked with *")
    listing.add_argument("--name", choices=MODELS, default=None, help="one model only")
    listing.set_defaults(func=run_list)
    promote = what.add_parser(
        "promote",
        help="point `champion` at a version and publish it in the home (a running server "
        "verifies it, runs its canary and swaps it in)",
    )
    promote.add_argument("name", choices=MODELS)
    promote.add_argument("version", type=int)
    promote.set_defaults(func=run_promote)


def _tracking_uri() -> str | None:
    from creatormatch.core import get_settings

    return get_settings().mlflow_tracking_uri


def run_list(args: argparse.Namespace) -> int:
    from creatormatch.training import published_version, versions

    home, tracking_uri = home_of(args), _tracking_uri()
    for name in [args.name] if args.name else MODELS:
        rows = versions(home, name, tracking_uri=tracking_uri)
        held = published_version(home, name)
        print(f"{name}: {len(rows)} versions; the home serves v{held}" if rows else f"{name}: -")
        for row in rows:
            created = datetime.fromtimestamp(row["created_ms"] / 1000, tz=UTC)
            shown = sorted(row["metrics"].items())[:SHOWN_METRICS]
            metrics = ", ".join(f"{key} {value:.3f}" for key, value in shown)
            mark = "*" if row["champion"] else " "
            print(f"  {mark} v{row['version']:<4} {created:%Y-%m-%d %H:%M}  {metrics}")
    return 0


def run_promote(args: argparse.Namespace) -> int:
    from creatormatch.core import InvalidInput
    from creatormatch.training import promote, sync_champions

    if args.version < 1:
        raise InvalidInput(f"expected a version >= 1, got {args.version}")
    home, tracking_uri = home_of(args), _tracking_uri()
    promote(home, args.name, args.version, tracking_uri=tracking_uri)
    copied = sync_champions(home, tracking_uri=tracking_uri)
    print(f"{args.name} v{args.version} is champion; published in the home: "
          f"{', '.join(copied) or 'already there'}")  # fmt: skip
    return 0
