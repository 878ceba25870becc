"""The fraud model's risk bands: thresholds chosen on validation precision, and the evidence a
verdict needs.

    high                   p ≥ threshold_high: the deepest cut adding a fraud case whose flagged
                           validation set has ≥ 90 % precision (the most recall at that precision)
    medium                 p ≥ threshold_medium: the deepest cut whose flagged set (high
                           included) still has ≥ 60 % precision, and never below a 5 %
                           probability of fraud (or half of threshold_high, if lower); a
                           "look closer" band
    low                    below threshold_medium
    insufficient_evidence  no verdict. Either the record holds no kind of evidence at its minimum
                           (fewer than 10 comments, 3 posts with counts, 14 days of follower
                           history and 25 sampled followers, all at once), or its probability
                           reaches `medium` while its comment sample (< 10) or follower sample
                           (< 25) is thin

Why thin samples cannot give a verdict: with the comment or follower signals missing, the model
rates quiet, small creators on engagement alone, where low organic engagement and bought
followers look alike; on a held-out world about 3 % of clean creators with ≤ 5 comments were `high`
and thin creators in `medium` were nearly all clean. Below `medium` a thin record stays `low`:
there the model's "nothing suspicious" held for 99.8 % of them. See
docs/decisions/0004-fraud-model.md.

A band that validation cannot support is a training error, never a silently degenerate model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.features import EVIDENCE_MINIMUMS
from creatormatch.models.calibration import LOW, bands_of

FraudBand = Literal["high", "medium", "low", "insufficient_evidence"]
INSUFFICIENT: Final = "insufficient_evidence"
FRAUD_BANDS: tuple[FraudBand, ...] = ("high", "medium", "low", INSUFFICIENT)
MIN_FLAGGED = 10  # a threshold needs this many validation creators above it to be trusted
# The samples a verdict (medium or high) needs in full: the comment and follower samples.
VERDICT_EVIDENCE = ("comments", "sampled_followers")


Ranked = tuple[
    npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.bool_]
]


def _ranked(probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.bool_]) -> Ranked:
    """Per position of the descending order: (probability, whether a cut there flags a fraud
    case the next stricter cut does not, precision of the flagged set, whether it is a cut).

    A cut at position i flags every creator scored ≥ ranked[i]: only the last of a tie is one,
    and it needs MIN_FLAGGED creators.
    """
    order = np.argsort(-probabilities, kind="stable")
    ranked, hits = probabilities[order], np.cumsum(y[order])
    flagged = np.arange(1, y.size + 1)
    cuts = np.r_[ranked[1:] < ranked[:-1], True] if y.size else np.zeros(0, dtype=bool)
    at = np.flatnonzero(cuts)
    gains = np.zeros(y.size, dtype=bool)
    gains[at] = np.diff(np.r_[0, hits[at]]) > 0
    return ranked, gains, hits / flagged, cuts & (flagged >= MIN_FLAGGED)


def max_recall_threshold(
    probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], precision: float
) -> float | None:
    """Lowest probability whose flagged set reaches `precision` (max recall); None if none does."""
    ranked, gains, reached, usable = _ranked(probabilities, y)
    # Only cuts that add a fraud case: extending over clean ones never adds recall.
    ok = np.flatnonzero((reached >= precision) & usable & gains)
    return float(ranked[ok[-1]]) if ok.size else None


def precision_threshold(
    probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], precision: float
) -> float:
    """`max_recall_threshold`, or 1.0 (nobody flagged) when no cut reaches `precision`."""
    cut = max_recall_threshold(probabilities, y, precision)
    return 1.0 if cut is None else cut


def coverage_threshold(
    probabilities: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    precision: float,
    *,
    below: float,
) -> float | None:
    """Lowest probability < `below` whose flagged set still reaches `precision`; None if none.

    Unlike `precision_threshold` the cut may fall past the last fraud case: a "look closer" band
    covers as many creators as its precision allows, so it exists even when validation separates
    the classes perfectly (then the max-recall cut would equal the stricter band's).
    """
    ranked, _, reached, usable = _ranked(probabilities, y)
    ok = np.flatnonzero((reached >= precision) & usable & (ranked < below))
    return float(ranked[ok[-1]]) if ok.size else None


def band_thresholds(
    probabilities: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    bands: tuple[tuple[str, float], ...],
    *,
    floors: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Threshold of each (name, precision) band, strictest first, each below the one before.

    The first band takes the max-recall cut, the others `coverage_threshold`, raised to the
    band's probability floor in `floors` if it has one (at most half the stricter band's cut): a
    band shown beside one creator must not claim more risk than the creator's calibrated
    probability carries (a validation split that separates the classes puts the coverage cut at
    ~0, and the demo showed "medium (0%)"). Raises InvalidInput naming the band when validation
    has no cut for it, so a degenerate model is never published.
    """
    thresholds: dict[str, float] = {}
    for name, precision in bands:
        stricter = min(thresholds.values()) if thresholds else None
        cut = (
            max_recall_threshold(probabilities, y, precision)
            if stricter is None
            else coverage_threshold(probabilities, y, precision, below=stricter)
        )
        floor = (floors or {}).get(name)
        if cut is not None and floor is not None:
            # A small validation split can calibrate the stricter band's start at a few percent
            # (the demo's `high` began at 0.039): the floor then takes half of the room below it.
            cut = max(cut, floor if stricter is None else min(floor, stricter / 2))
        if cut is None:
            where = "below the stricter band's " if thresholds else ""
            raise InvalidInput(
                f"the validation split cannot support the `{name}` band: no probability cut "
                f"{where}flags ≥ {MIN_FLAGGED} of its {y.size} creators ({int(y.sum())} fraud) "
                f"at ≥ {precision:.0%} precision; label more creators, fraud cases especially"
            )
        thresholds[name] = cut
    return thresholds


def thin_evidence(counts: Mapping[str, int], kinds: tuple[str, ...]) -> list[str]:
    """The kinds of evidence among `kinds` whose count is below its minimum."""
    return [kind for kind in kinds if counts[kind] < EVIDENCE_MINIMUMS[kind]]


def evidence_bands(
    probabilities: npt.ArrayLike, thresholds: Mapping[str, float], evidence: pd.DataFrame
) -> list[FraudBand]:
    """Band of each creator from its probability and its evidence counts (the rules above).

    `evidence` holds EVIDENCE_MINIMUMS' counts as columns, one row per probability, in order.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    missing = sorted(set(EVIDENCE_MINIMUMS) - set(evidence.columns))
    if missing or len(evidence) != p.size:
        raise InvalidInput(
            f"expected evidence counts {sorted(EVIDENCE_MINIMUMS)} for {p.size} creators, got "
            f"{len(evidence)} rows missing {missing}"
        )
    kinds = list(EVIDENCE_MINIMUMS)
    below = evidence.loc[:, kinds].to_numpy() < np.array([EVIDENCE_MINIMUMS[k] for k in kinds])
    nothing = np.all(below, axis=1).tolist()  # (n,) no kind of evidence at its minimum
    thin = np.any(below[:, [kinds.index(k) for k in VERDICT_EVIDENCE]], axis=1).tolist()
    return [
        INSUFFICIENT if none or (short and band != LOW) else cast("FraudBand", band)
        for band, none, short in zip(bands_of(p, thresholds), nothing, thin, strict=True)
    ]
