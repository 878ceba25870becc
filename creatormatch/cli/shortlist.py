"""`creatormatch shortlist`: a ranked, explained shortlist for a brief."""

from __future__ import annotations

import argparse
import csv
import io
import sys

from creatormatch.bundle import load_bundle
from creatormatch.cli import home_of
from creatormatch.shortlisting import Shortlist, shortlist
from features import Brief


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("shortlist", help="rank creators for a brand brief")
    parser.add_argument("--brief", required=True, help="the brief in plain words")
    parser.add_argument("--k", type=int, default=20, help="how many creators (default 20)")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.set_defaults(func=run)


def brief_from(args: argparse.Namespace) -> Brief:
    return Brief(text=args.brief, k=args.k)


def render_table(result: Shortlist) -> str:
    lines = [f"{'#':>3}  {'creator':<22} {'tier':<6} {'score':>9}  {'fraud':<12} why"]
    for item in result.items:
        fraud = "n/a" if item.fraud_band is None else f"{item.fraud_band} {item.fraud_probability:.0%}"
        handle = (item.handle or item.creator_id)[:22]
        lines.append(
            f"{item.rank:>3}  {handle:<22} {item.tier or '?':<6} {item.score:>9.3f}  "
            f"{fraud:<12} {item.reasons[0]}"
        )
        lines += [f"{'':>52}{reason}" for reason in item.reasons[1:]]
    lines += [f"note: {note}" for note in result.degraded]
    return "\n".join(lines)


def render_csv(result: Shortlist) -> str:
    out = io.StringIO()
    columns = ["rank", "creator_id", "handle", "platform", "tier", "followers", "score",
               "predicted_conversions", "price_per_post", "fraud_probability", "fraud_band"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=[*columns, "reasons"])
    writer.writeheader()
    for item in result.items:
        row = item.model_dump(include=set(columns))
        writer.writerow({**row, "reasons": " | ".join(item.reasons)})
    return out.getvalue()


def render(result: Shortlist, fmt: str) -> str:
    if fmt == "json":
        return result.model_dump_json(indent=2)
    if fmt == "csv":
        return render_csv(result)
    return render_table(result)


def run(args: argparse.Namespace) -> int:
    brief = brief_from(args)
    result = shortlist(load_bundle(home_of(args)), brief)
    sys.stdout.write(render(result, args.format) + "\n")
    return 0
