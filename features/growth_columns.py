"""`growth_signals` and `follower_jumps` (features/growth.py) for a whole batch at once.

The same rules, read from flat columns (features/record_columns.py): a day's gain is a jump at a
robust z ≥ JUMP_Z against the rolling median of its creator's gains, explained by an outsized post
up to EXPLAIN_DAYS before. tests/features/test_fraud_signal_batch.py holds both to equal values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatormatch.features.growth import (
    EXPLAIN_DAYS,
    JUMP_Z,
    MAD_SCALE,
    MIN_DAYS,
    OUTSIZED,
    TREND_DAYS,
)
from creatormatch.features.record_columns import NO_DAY, PostColumns, SeriesColumns
from creatormatch.features.segments import (
    Floats,
    Ints,
    counts,
    firsts,
    lasts,
    medians,
    pick,
    sums,
)

DAY_SPAN = 4_000_000  # above any date ordinal (9999-12-31 is 3,652,059): owner-day keys
SLICE = 50_000  # gains per rolling-median pass: (SLICE, TREND_DAYS) float64 is 11.6 MB


@dataclass(frozen=True)
class Gains:
    """Day-to-day follower gains of the creators with a long enough series, in series order."""

    owner: Ints
    day: Ints  # the later day of each gain
    gain: Floats
    z: Floats
    unexplained_jump: npt.NDArray[np.bool_]
    explained_jump: npt.NDArray[np.bool_]


def _pairs(series: SeriesColumns, n: int) -> Ints:
    """Positions i whose next point i + 1 is of the same creator, one with MIN_DAYS points."""
    judged = counts(series.owner, n) >= MIN_DAYS
    same = series.owner[1:] == series.owner[:-1]
    return np.flatnonzero(same & judged[series.owner[:-1]])


def _rolling_medians(values: Floats, owner: Ints, n: int) -> Floats:
    """`robust_z`'s trend: the median of each value's TREND_DAYS window, edges padded."""
    start, size = firsts(owner, n), counts(owner, n)
    offsets = np.arange(TREND_DAYS) - TREND_DAYS // 2  # (TREND_DAYS,)
    out = np.empty_like(values)
    for lo in range(0, values.size, SLICE):
        rows = np.arange(lo, min(lo + SLICE, values.size))
        first, length = start[owner[rows]], size[owner[rows]]
        local = (rows - first)[:, None] + offsets  # (rows, TREND_DAYS)
        window = values[np.clip(local, 0, (length - 1)[:, None]) + first[:, None]]
        out[rows] = np.partition(window, TREND_DAYS // 2, axis=1)[:, TREND_DAYS // 2]
    return out


def _outsized_days(posts: PostColumns, n: int) -> Ints:
    """Owner-day keys of posts with OUTSIZED × the creator's median likes or views."""
    keys = []
    for values in (posts.likes, posts.views):
        known = ~np.isnan(values) & (posts.day != NO_DAY)
        owner, value = posts.owner[known], values[known]
        median = medians(owner, value, n, min_count=3)[owner]
        hit = value >= OUTSIZED * np.maximum(median, 1.0)  # NaN median: too few posts, no hit
        keys.append(owner[hit] * DAY_SPAN + posts.day[known][hit])
    return np.unique(np.concatenate(keys))


def gains(series: SeriesColumns, posts: PostColumns, n: int) -> Gains:
    at = _pairs(series, n)
    owner, day = series.owner[at], series.day[at + 1]
    gain = series.followers[at + 1] - series.followers[at]
    level = medians(series.owner, series.followers, n)  # median followers per creator
    residual = gain - _rolling_medians(gain, owner, n)
    centre = medians(owner, residual, n)[owner]
    floor = np.maximum(1.0, 1e-4 * level)
    scale = np.maximum(MAD_SCALE * medians(owner, np.abs(residual - centre), n), floor)
    z = residual / scale[owner]
    jump = (z >= JUMP_Z) & (gain > 0)
    outsized = _outsized_days(posts, n)
    near = [np.isin(owner * DAY_SPAN + day - k, outsized) for k in range(EXPLAIN_DAYS + 1)]
    explained = jump & np.logical_or.reduce(near)
    return Gains(owner, day, gain, z, jump & ~explained, explained)


def growth_columns(g: Gains, series: SeriesColumns, n: int) -> dict[str, Floats]:
    """GROWTH_SIGNALS of each of `n` creators from their `gains`; NaN below MIN_DAYS points."""
    judged = counts(series.owner, n) >= MIN_DAYS
    last = pick(series.followers, lasts(series.owner, n))
    unexplained = sums(g.owner, g.unexplained_jump, n)
    gained = sums(g.owner, np.where(g.unexplained_jump, g.gain, 0.0), n)
    top, bottom = np.full(n, -np.inf), np.full(n, np.inf)
    np.maximum.at(top, g.owner, g.z)
    np.minimum.at(bottom, g.owner, g.z)
    level = medians(series.owner, series.followers, n)
    signals = {
        "unexplained_jumps": unexplained,
        "unexplained_gain_share": gained / np.maximum(last, 1.0),
        "explained_jumps": sums(g.owner, g.explained_jump, n),
        "max_growth_z": top,
        "max_drop_z": -bottom,
        "daily_growth": medians(g.owner, g.gain, n) / np.maximum(level, 1.0),
    }
    return {name: np.where(judged, values, np.nan) for name, values in signals.items()}


def churn_columns(series: SeriesColumns, n: int) -> dict[str, Floats]:
    """`following_churn` of each creator: swing of `following` beyond its net movement, and
    reversals of big moves; NaN below MIN_DAYS known values."""
    known = ~np.isnan(series.following)
    owner, following = series.owner[known], series.following[known]
    size = counts(owner, n)
    judged = size >= MIN_DAYS
    same = np.flatnonzero((owner[1:] == owner[:-1]) & judged[owner[:-1]])
    delta, delta_owner = following[same + 1] - following[same], owner[same]
    mean = sums(owner, following, n) / np.maximum(size, 1)
    first, last = pick(following, firsts(owner, n)), pick(following, lasts(owner, n))
    swing = sums(delta_owner, np.abs(delta), n) - np.abs(last - first)
    big = np.abs(delta) > np.maximum(0.02 * mean, 5.0)[delta_owner]
    sign, big_owner = np.sign(delta[big]), delta_owner[big]
    turn = (big_owner[1:] == big_owner[:-1]) & (sign[1:] != sign[:-1])
    return {
        "following_churn": np.where(judged, swing / np.maximum(mean, 1.0), np.nan),
        "following_reversals": np.where(judged, sums(big_owner[1:], turn, n), np.nan),
    }
