"""`creatormatch shortlist`: a ranked, explained shortlist for a brief."""

from __future__ import annotations

import argparse
import csv
import gc
import io
import math
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from pydantic import ValidationError

    from creatormatch.features import Brief
    from creatormatch.matching import Bundle, Shortlist

GENDER_CODES = {"f": "female", "m": "male", "o": "other"}


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _weight(item: str) -> tuple[str, float | None]:
    """ "US:0.6" → ("US", 0.6); "US" → ("US", None). A weight is a share, as the API takes it."""
    code, sep, value = (part.strip() for part in item.partition(":"))
    code = code.upper()
    if not code:
        raise argparse.ArgumentTypeError(f"expected COUNTRY:WEIGHT, got {item!r} (no country)")
    if not sep:
        return code, None
    try:
        weight = float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"expected COUNTRY:WEIGHT, got {item!r} (the weight is not a number)"
        ) from error
    if not math.isfinite(weight):
        raise argparse.ArgumentTypeError(f"expected finite weights, got {value} for {code}")
    if not 0.0 <= weight <= 1.0:
        raise argparse.ArgumentTypeError(f"weight {value} of {code} must be between 0 and 1")
    return code, weight


def _weights(text: str) -> dict[str, float]:
    """ "US:0.6,GB:0.4" → {"US": 0.6, "GB": 0.4}; a bare "US,GB" weighs them equally. The
    weights are normalised to sum to 1; a mix of weighted and bare countries is refused, since
    no weight for the bare ones would be what was meant."""
    pairs = [_weight(item) for item in _list(text)]
    codes = [code for code, _ in pairs]
    if twice := sorted({code for code in codes if codes.count(code) > 1}):
        raise argparse.ArgumentTypeError(
            f"expected each country once, got {', '.join(twice)} twice"
        )
    if len({weight is None for _, weight in pairs}) > 1:
        raise argparse.ArgumentTypeError(
            f"expected a weight for every country or none, got {text!r}"
        )
    weights = {code: 1.0 if weight is None else weight for code, weight in pairs}
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


# Brief field → the flag's `dest`: one table builds the Brief and names the flag it refuses.
_BRIEF_FLAGS = {
    "countries": "countries", "ages": "ages", "genders": "genders", "interests": "interests",
    "languages": "languages", "platforms": "platforms", "tiers": "tiers",
    "min_engagement": "min_er", "max_fraud": "max_fraud", "budget": "budget",
    "price_cap": "price_cap", "exclude": "exclude", "k": "k",
}  # fmt: skip


def brief_from(args: argparse.Namespace, text: str, *, text_flag: str = "--brief") -> Brief:
    """The brief of the flags; a value the Brief refuses is an `InvalidInput` naming its flag
    (`text_flag` for the text), not the Brief's field."""
    from pydantic import ValidationError

    from creatormatch.core import InvalidInput
    from creatormatch.features import Brief

    fields = {field: getattr(args, dest) for field, dest in _BRIEF_FLAGS.items()}
    try:
        return Brief(text=text, **fields)
    except ValidationError as error:
        flags = {field: f"--{dest.replace('_', '-')}" for field, dest in _BRIEF_FLAGS.items()}
        raise InvalidInput(_by_flag(error, flags | {"text": text_flag})) from error


def _by_flag(error: ValidationError, flags: Mapping[str, str]) -> str:
    """describe()'s lines, each naming the flag of its field and the map key within
    ("--countries XYZ: …"), at most 10 of them."""
    from creatormatch.features import describe

    lines = []
    for problem, line in zip(error.errors(), describe(error), strict=True):
        field, *within = (str(part) for part in problem["loc"] or ("",))
        what = line[len(".".join([field, *within])) :]  # ": expected …, got …"
        keys = [part for part in within if part != "[key]" and not part.isdigit()]
        lines.append(" ".join([flags.get(field, field), *keys]) + what)
    more = f"; … and {len(lines) - 10} more" if len(lines) > 10 else ""
    return "; ".join(lines[:10]) + more


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

        brief = brief_from(args, args.brief)
        result = shortlist(one_shot_bundle(args), brief)
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

        base = brief_from(args, args.creator_id, text_flag="creator_id")
        result = similar(one_shot_bundle(args), args.creator_id, base)
    sys.stdout.write(render(result, args.format) + "\n")
    return 0
