"""`creatormatch shortlist`: a ranked, explained shortlist for a brief."""

from __future__ import annotations

import argparse
import csv
import gc
import io
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.features import Brief
    from creatormatch.matching import Bundle, Shortlist

GENDER_CODES = {"f": "female", "m": "male", "o": "other"}


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _weights(text: str) -> dict[str, float]:
    """ "US:0.6,GB:0.4" → {"US": 0.6, "GB": 0.4}; a bare "US,GB" weighs them equally."""
    pairs = [part.partition(":") for part in _list(text)]
    try:
        weights = {key.upper(): float(value) if sep else 1.0 for key, sep, value in pairs}
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected COUNTRY:WEIGHT,… got {text!r}") from error
    if not all(math.isfinite(weight) for weight in weights.values()):
        raise argparse.ArgumentTypeError(f"expected finite weights, got {text!r}")
    total = sum(weights.values())
    return {key: value / total for key, value in weights.items()} if total > 0 else weights


def _genders(text: str) -> list[str]:
    return [GENDER_CODES.get(g.lower(), g.lower()) for g in _list(text)]


def add_brief_arguments(parser: argparse.ArgumentParser) -> None:
    """The brief's targets and filters, shared by `shortlist` and `similar`."""
    add = parser.add_argument
    add("--countries", type=_weights, default={}, help="audience countries, e.g. US:0.6,GB:0.4")
    add("--ages", type=_list, default=[], help="age buckets, e.g. 18-24,25-34")
    add("--genders", type=_genders, default=[], help="f, m or o (comma-separated)")
    add("--interests", type=_list, default=[], help="audience interests, e.g. fitness,food")
    add("--languages", type=_list, default=[], help="creator languages, e.g. en,es")
    add("--platforms", type=_list, default=[], help="instagram, tiktok, youtube")
    add("--tiers", type=_list, default=[], help="nano, micro, macro, mega")
    add("--min-er", type=float, default=None, help="minimum engagement rate, e.g. 0.02")
    add("--max-fraud", type=float, default=None, help="maximum fraud probability, e.g. 0.3")
    add("--budget", type=float, default=None, help="total budget; prices must be known")
    add("--price-cap", type=float, default=None, help="maximum price per post")
    add("--exclude", type=_list, default=[], help="creator ids to leave out")
    add("--k", type=int, default=20, help="how many creators (default 20)")
    add("--format", choices=("table", "json", "csv"), default="table")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("shortlist", help="rank creators for a brand brief")
    parser.add_argument("--brief", required=True, help="the brief in plain words")
    add_brief_arguments(parser)
    parser.set_defaults(func=run)


def brief_from(args: argparse.Namespace, text: str) -> Brief:
    from creatormatch.features import Brief

    return Brief(
        text=text,
        countries=args.countries,
        ages=args.ages,
        genders=args.genders,
        interests=args.interests,
        languages=args.languages,
        platforms=args.platforms,
        tiers=args.tiers,
        min_engagement=args.min_er,
        max_fraud=args.max_fraud,
        budget=args.budget,
        price_cap=args.price_cap,
        exclude=args.exclude,
        k=args.k,
    )


def render_table(result: Shortlist) -> str:
    lines = [f"{'#':>3}  {'creator':<22} {'tier':<6} {'score':>9}  {'fraud':<12} why"]
    for item in result.items:
        fraud = (
            "n/a" if item.fraud_band is None else f"{item.fraud_band} {item.fraud_probability:.0%}"
        )
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
    columns = [
        "rank", "creator_id", "handle", "platform", "tier", "followers", "score",
        "predicted_conversions", "price_per_post", "fraud_probability", "fraud_band",
    ]  # fmt: skip
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


def one_shot_bundle(args: argparse.Namespace) -> Bundle:
    """The home's bundle for one brief: the settings' embedder, no resident candidate table.

    The brief is embedded by the query embedder of that kind: for MiniLM the numpy model, so a
    one-shot command never imports torch (ADR 0002).
    """
    from creatormatch.core import get_settings
    from creatormatch.features import load_query_embedder
    from creatormatch.matching import load_bundle

    embedder = load_query_embedder(get_settings().embedder)
    return load_bundle(home_of(args), embedder=embedder, resident=False)


@contextmanager
def one_shot() -> Iterator[None]:
    """No garbage collection while one brief is answered, and none of it after.

    Importing torch, transformers and scikit-learn makes millions of objects that live until the
    process exits; the collector walked them over and over while they loaded (~1 s of a 5 s
    shortlist) and once more at exit (~0.9 s). What is left then is frozen, as a server's
    `settle` freezes its bundle: reference counting still frees what it frees.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def run(args: argparse.Namespace) -> int:
    with one_shot():
        from creatormatch.matching import shortlist

        result = shortlist(one_shot_bundle(args), brief_from(args, args.brief))
    sys.stdout.write(render(result, args.format) + "\n")
    return 0


def register_similar(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("similar", help="lookalikes of a creator")
    parser.add_argument("creator_id", help="the creator to find lookalikes of")
    add_brief_arguments(parser)
    parser.set_defaults(func=run_similar)


def run_similar(args: argparse.Namespace) -> int:
    with one_shot():
        from creatormatch.matching import similar

        base = brief_from(args, args.creator_id)
        result = similar(one_shot_bundle(args), args.creator_id, base)
    sys.stdout.write(render(result, args.format) + "\n")
    return 0
