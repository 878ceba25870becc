"""`creatormatch doctor [--repair]`: do the catalog, the index and the scores agree?

Exit 0: clean. Exit 1: differences found (with `--repair`, fixed where `doctor` can; what is left
is printed). Exit 2: an error, a damaged catalog among them.
"""

from __future__ import annotations

import argparse

from creatormatch.cli import home_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "doctor", help="check that catalog, index and scores agree (and the catalog file is sound)"
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help="re-index, re-score and re-store what disagrees (models without a manifest: train)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from creatormatch.matching import check_home, repair_home

    home = home_of(args)
    found = check_home(home)
    for line in found.lines():
        print(line)
    if found.clean:
        return 0
    if args.repair:
        from creatormatch.core import get_settings
        from creatormatch.features import load_embedder

        embedder = load_embedder(get_settings().embedder)
        for line in repair_home(home, found, embedder=embedder):
            print(f"repaired: {line}")
        after = check_home(home)
        print("after repair: " + ("clean" if after.clean else f"{len(after.findings)} left"))
        for finding in after.findings:
            print(f"  ✗ {finding.line()}")
    return 1
