"""`creatormatch models list|compare|promote`: the registry's versions, two of them side by side
on one evaluation set, and moving `champion` by hand (past the gates, which it names)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.core import Home
    from creatormatch.training import Comparison

# training.promotion.MODELS, spelled out so that building the parser imports no training code
# (a test keeps the two equal).
MODELS = ("account", "fraud", "conversion", "reach")


def _version(text: str) -> int:
    """A registry version, as `models list` prints it: 3 or v3."""
    number = text[1:] if text[:1] in ("v", "V") else text
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"expected a version such as 3 or v3, got {text!r}")
    return int(number)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("models", help="list registered model versions; compare; promote one")
    what = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = what.add_parser("list", help="every registered version, champion marked with *")
    listing.add_argument("--name", choices=MODELS, default=None, help="one model only")
    listing.set_defaults(func=run_list)
    compare = what.add_parser(
        "compare", help="score two versions on the same frozen evaluation set, side by side"
    )
    compare.add_argument("name", choices=MODELS)
    compare.add_argument("first", type=_version, metavar="A")
    compare.add_argument("second", type=_version, metavar="B")
    compare.add_argument(
        "--data", type=Path, default=None, help="account data sets (account model only)"
    )
    compare.set_defaults(func=run_compare)
    promote = what.add_parser(
        "promote",
        help="point `champion` at a version and publish it in the home (a running server "
        "verifies it, runs its canary and swaps it in); says which gates it overrides",
    )
    promote.add_argument("name", choices=MODELS)
    promote.add_argument("version", type=int)
    promote.set_defaults(func=run_promote)


def _tracking_uri() -> str | None:
    from creatormatch.core import get_settings

    return get_settings().mlflow_tracking_uri


def _metrics_text(name: str, metrics: dict[str, float]) -> str:
    from creatormatch.training import HEADLINE

    shown = [f"{key} {metrics[key]:.3f}" for key in HEADLINE[name] if key in metrics]
    return ", ".join(shown) or "no evaluation-set metrics (trained before gates)"


def _lineage_text(tags: dict[str, str]) -> str | None:
    if "lineage.data_hash" not in tags:
        return None
    parent = tags.get("lineage.parent", "-")
    return (
        f"data sha256 {tags['lineage.data_hash'][:12]}, code {tags.get('lineage.code_version')}, "
        f"world seed {tags.get('lineage.world_seed')}, "
        f"parent {parent if parent == '-' else 'v' + parent}, "
        f"judged on {tags.get('lineage.eval_set')}"
    )


def run_list(args: argparse.Namespace) -> int:
    from creatormatch.training import published_version, versions

    home, tracking_uri = home_of(args), _tracking_uri()
    for name in [args.name] if args.name else MODELS:
        rows = versions(home, name, tracking_uri=tracking_uri)
        held = published_version(home, name)
        print(f"{name}: {len(rows)} versions; the home serves v{held}" if rows else f"{name}: -")
        for row in rows:
            created = datetime.fromtimestamp(row["created_ms"] / 1000, tz=UTC)
            tags = row["tags"]
            mark = "*" if row["champion"] else " "
            artifact = f"  artifact {tags['artifact']}" if "artifact" in tags else ""
            print(
                f"  {mark} v{row['version']:<4} {created:%Y-%m-%d %H:%M}  "
                f"{_metrics_text(name, row['metrics'])}{artifact}"
            )
            for line in (tags.get("decision"), _lineage_text(tags)):
                if line:
                    print(f"           {line}")
    return 0


def format_comparison(comparison: Comparison) -> str:
    from creatormatch.training import HEADLINE

    first, second = (f"v{n}" for n in comparison.versions)
    a, b = comparison.metrics
    gates = {v.gate.metric: v for v in comparison.verdicts}
    shown = HEADLINE[comparison.name]
    keys = [*shown, *sorted((set(a) | set(b)) - set(shown))]
    lines = [
        f"{comparison.name} {first} vs {second}, both scored on {comparison.eval_set}",
        f"  {'metric':<28} {first:>10} {second:>10}  gate for {second} against {first}",
    ]
    for key in keys:
        verdict = gates.get(key)
        gate = "" if verdict is None else verdict.text(first)
        left, right = a.get(key, float("nan")), b.get(key, float("nan"))
        lines.append(f"  {key:<28} {left:>10.4f} {right:>10.4f}  {gate}")
    failed = [v.gate.label for v in comparison.verdicts if not v.passed]
    lines.append(
        f"{second} would be refused against {first} ({'; '.join(failed)})"
        if failed
        else f"{second} passes every gate against {first}"
    )
    return "\n".join(lines)


def run_compare(args: argparse.Namespace) -> int:
    from creatormatch.training import compare_versions

    home = home_of(args)
    comparison = compare_versions(
        home, args.name, args.first, args.second, tracking_uri=_tracking_uri(), data_dir=args.data
    )
    print(format_comparison(comparison))
    return 0


def _overridden(home: Home, name: str, version: int, tracking_uri: str | None) -> str:
    """What promoting `version` past the gates overrides: its gates against today's champion
    on the evaluation set, or, where it cannot be scored, the decision recorded at training."""
    from creatormatch.core import CreatorMatchError, NotFound
    from creatormatch.training import champion, compare_versions, version_info

    try:
        current = champion(home, name, tracking_uri=tracking_uri).version
    except NotFound:
        return ""
    if current == version:
        return ""
    try:
        comparison = compare_versions(home, name, current, version, tracking_uri=tracking_uri)
    except CreatorMatchError as error:
        recorded = version_info(home, name, version, tracking_uri=tracking_uri)["tags"]
        decision = recorded.get("decision", "no decision recorded")
        return f"could not score it against v{current} ({error}); at training it was {decision}"
    failed = [v.text(f"v{current}") for v in comparison.verdicts if not v.passed]
    if not failed:
        return f"passes every gate against v{current} on {comparison.eval_set}"
    return f"overrides the gates against v{current} on {comparison.eval_set}: " + "; ".join(failed)


def run_promote(args: argparse.Namespace) -> int:
    from creatormatch.core import InvalidInput
    from creatormatch.training import promote, sync_champions, version_info

    if args.version < 1:
        raise InvalidInput(f"expected a version >= 1, got {args.version}")
    home, tracking_uri = home_of(args), _tracking_uri()
    version_info(home, args.name, args.version, tracking_uri=tracking_uri)  # NotFound first
    overridden = _overridden(home, args.name, args.version, tracking_uri)
    promote(home, args.name, args.version, tracking_uri=tracking_uri)
    copied = sync_champions(home, tracking_uri=tracking_uri)
    print(f"{args.name} v{args.version} is champion; published in the home: "
          f"{', '.join(copied) or 'already there'}")  # fmt: skip
    if overridden:
        print(f"{args.name} v{args.version} {overridden}")
    return 0
