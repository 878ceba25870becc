"""`creatormatch evaluate fraud`: the fraud model on held-out synthetic worlds.

One held-out seed: a loud world (fraud intensity 1, `--creators`, 30,000 by default, enough for
per-language and per-country FPR) and subtler ones (0.5 and 0.25, `--subtle-creators`). Prints
the report of training/fraud_eval_report.py — degradation, recall per archetype, look-alike FPR,
the evidence-size curve, FPR per language and country with intervals and permutation tests, the
goals — and writes it with its plots to `<home>/reports/fraud_heldout/`; the last line is JSON.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormatch.core import Home

DEFAULT_SEED = 1_000  # far from the demo (7) and the training seeds of the ADR (1-4)
DEFAULT_CREATORS = 30_000
DEFAULT_SUBTLE_CREATORS = 6_000
MIN_CREATORS = 100


def register_fraud(evaluate_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = evaluate_sub.add_parser(
        "fraud",
        help="PR-AUC, recall, look-alike FPR, evidence curve, FPR by language and country",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"held-out world seed (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--creators",
        type=int,
        default=DEFAULT_CREATORS,
        metavar="N",
        help=f"creators of the intensity-1 world (default {DEFAULT_CREATORS:,})",
    )
    parser.add_argument(
        "--subtle-creators",
        type=int,
        default=DEFAULT_SUBTLE_CREATORS,
        metavar="N",
        help=f"creators of each subtler world (default {DEFAULT_SUBTLE_CREATORS:,})",
    )
    parser.add_argument(
        "--pool-seeds",
        type=_seeds,
        default=[],
        metavar="S,S",
        help="more held-out seeds whose intensity-1 worlds join --seed's in a pooled FPR test "
        "by language and country (flags shuffled within each world)",
    )
    parser.set_defaults(func=run_fraud)


def _seeds(value: str) -> list[int]:
    """ "2000,3000" → [2000, 3000]."""
    try:
        return [int(part) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integer seeds, got {value!r}"
        ) from None


def run_fraud(args: argparse.Namespace) -> int:
    from creatormatch.cli import home_of
    from creatormatch.core import InvalidInput
    from creatormatch.training import (
        INTENSITIES,
        banded_world,
        evaluate_intensities,
        heldout_json,
        heldout_report,
        load_evaluated_model,
        pooled_fairness,
        pooled_section,
        write_heldout_plots,
    )
    from creatormatch.world import synthetic_fraud_data

    for flag, value in (("--creators", args.creators), ("--subtle-creators", args.subtle_creators)):
        if value < MIN_CREATORS:
            raise InvalidInput(f"expected {flag} >= {MIN_CREATORS}, got {value}")
    repeated = sorted({s for s in args.pool_seeds if [args.seed, *args.pool_seeds].count(s) > 1})
    if repeated:
        raise InvalidInput(f"expected --pool-seeds other than --seed and each once, got {repeated}")
    home = home_of(args)
    model = load_evaluated_model(home)
    start = time.perf_counter()
    loud = INTENSITIES[0]
    sizes = {i: args.creators if i == loud else args.subtle_creators for i in INTENSITIES}
    results = evaluate_intensities(
        model,
        lambda intensity: synthetic_fraud_data(
            seed=args.seed, n_creators=sizes[intensity], intensities=(intensity,)
        ),
    )
    out_dir = home.reports_dir / "fraud_heldout"
    plots = write_heldout_plots(results[loud], out_dir)
    extra = ["", "## Plots", "", *(f"- `{path.name}`" for path in plots), *_transfer_section(home)]
    pooled = None
    first = results[loud].banded
    if args.pool_seeds and first is not None:
        more = (
            banded_world(
                model,
                *synthetic_fraud_data(seed=seed, n_creators=args.creators, intensities=(loud,)),
            )
            for seed in args.pool_seeds
        )
        pooled = ([args.seed, *args.pool_seeds], pooled_fairness(model, [first, *more]))
        extra += pooled_section(*pooled)
    report = heldout_report(results, seed=args.seed, creators=sizes, extra=extra)
    (out_dir / "fraud.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    seconds = time.perf_counter() - start
    print(heldout_json(results, seed=args.seed, seconds=seconds, pooled=pooled))
    return 0


def _transfer_section(home: Home) -> list[str]:
    """The core-fields rows of this home's account report (`creatormatch accounts train` writes
    it), under its table header; a pointer to that command when there is none yet."""
    head = ["", "## Account model, core fields only (from `creatormatch accounts train`)", ""]
    report = home.reports_dir / "accounts.md"
    table = (
        [line for line in report.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
        if report.is_file()
        else []
    )
    rows = [line for line in table[2:] if "core fields" in line]
    if not rows:
        return [*head, f"No core-fields rows in {report}: run `creatormatch accounts train`."]
    return [*head, *table[:2], *rows]
