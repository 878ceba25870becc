"""`creatormatch monitor`: compare the catalog and recent requests with the training snapshot.

Exit 0 when nothing drifted (`ok` or `watch`), 1 past a drift threshold, so a scheduler can run
`creatormatch train` on it, 2 when there is nothing to compare (no snapshot: run `train`) or a
flag is wrong. The report goes to `<home>/reports/monitor/` (monitor.md, plots, monitor.json).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormatch.training import Check, RequestWindow, Thresholds

SHOWN = 5  # checks named on the terminal, the worst first


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "monitor",
        help="feature, score, evidence and embedding drift against the training snapshot; "
        "exit 1 past a threshold",
    )
    parser.add_argument(
        "--psi-watch", type=float, default=0.10, metavar="PSI",
        help="a PSI above this reads `watch` (default 0.10)",
    )  # fmt: skip
    parser.add_argument(
        "--psi-drift", type=float, default=0.25, metavar="PSI",
        help="a PSI above this reads `drift` and exits 1 (default 0.25)",
    )  # fmt: skip
    parser.add_argument(
        "--missing-drift", type=float, default=0.10, metavar="SHARE",
        help="a rise of the share of creators missing a kind of evidence above this reads "
        "`drift` (default 0.10, absolute)",
    )  # fmt: skip
    parser.add_argument(
        "--requests", type=int, default=1_000, metavar="N",
        help="the last N shortlist briefs served are compared (default 1000)",
    )  # fmt: skip
    parser.add_argument(
        "--min-requests", type=int, default=30, metavar="N",
        help="fewer recent briefs than this are reported, not judged (default 30)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def _options(args: argparse.Namespace) -> tuple[Thresholds, RequestWindow]:
    from creatormatch.core import InvalidInput
    from creatormatch.training import RequestWindow, Thresholds

    if not 0 < args.psi_watch <= args.psi_drift:
        raise InvalidInput(
            f"expected 0 < --psi-watch <= --psi-drift, got {args.psi_watch} and {args.psi_drift}"
        )
    if not 0 < args.missing_drift <= 1:
        raise InvalidInput(f"expected --missing-drift in (0, 1], got {args.missing_drift}")
    for flag, value in (("--requests", args.requests), ("--min-requests", args.min_requests)):
        if value < 1:
            raise InvalidInput(f"expected {flag} >= 1, got {value}")
    thresholds = Thresholds(args.psi_watch, args.psi_drift, args.missing_drift)
    return thresholds, RequestWindow(args.requests, args.min_requests)


def _line(check: Check) -> str:
    if check.psi is not None:
        measure = f"PSI {check.psi:.3f}"
    elif check.current is not None:
        measure = f"share {check.reference:.3f} → {check.current:.3f}"
    else:
        measure = check.note
    return f"  {check.status}: {check.kind} {check.name}, {measure}"


def run(args: argparse.Namespace) -> int:
    from creatormatch.cli import home_of
    from creatormatch.core import get_settings
    from creatormatch.features import load_embedder
    from creatormatch.training import monitor_dir, run_monitor, write_monitor_report

    thresholds, requests = _options(args)
    home = home_of(args)
    result = run_monitor(
        home,
        load_embedder=lambda: load_embedder(get_settings().embedder),
        thresholds=thresholds,
        requests=requests,
    )
    files = write_monitor_report(result, monitor_dir(home))
    drifted, watched = result.failing("drift"), result.failing("watch")
    print(
        f"drift monitor: {result.status} ({len(drifted)} drift, {len(watched)} watch of "
        f"{len(result.checks)} checks)"
    )
    worst = sorted(drifted, key=lambda c: -(c.psi or 0.0)) + watched
    for check in worst[:SHOWN]:
        print(_line(check))
    for note in result.notes:
        print(f"  note: {note}")
    print(f"report: {files[-1]}")
    return 1 if result.status == "drift" else 0
