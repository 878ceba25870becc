"""How far a distribution moved from a reference: PSI over the reference's quantile bins, and a KS
statistic against its percentiles.

A `Reference` is what a training snapshot keeps of one distribution (a feature, a score, the
cosine of content vectors to a centroid): interior cut points at its deciles, the share of values
in each bin, the share missing (NaN, its own bin: missing is a value the models see), and its
101 percentiles. Kept as JSON, a few hundred bytes each. Thresholds: docs/decisions/0017.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Status = Literal["ok", "watch", "drift"]
STATUSES: tuple[Status, ...] = ("ok", "watch", "drift")
BIN_LEVELS = np.linspace(0.1, 0.9, 9)  # deciles: 10 bins where the values allow
PERCENTILES = np.linspace(0.0, 1.0, 101)
# An empty bin counts as this share, or one emptied bin would make PSI infinite.
SHARE_FLOOR = 1e-4


def _finite(values: npt.ArrayLike) -> tuple[Floats, float]:
    """(the finite values, the share that is not finite) of a 1-d array."""
    array = np.asarray(values, dtype=np.float64).ravel()  # (n,)
    if array.size == 0:
        raise ValueError("expected at least one value, got none")
    finite = array[np.isfinite(array)]
    return finite, 1.0 - finite.size / array.size


@dataclass(frozen=True)
class Reference:
    edges: list[float]  # interior cut points, increasing; bin i holds edges[i-1] < x <= edges[i]
    shares: list[float]  # (len(edges) + 1,) share of all values (missing included) per bin
    missing: float  # share of values that are NaN or infinite
    percentiles: list[float]  # (101,) of the finite values; [] when every value is missing
    count: int

    @classmethod
    def of(cls, values: npt.ArrayLike) -> Reference:
        finite, missing = _finite(values)
        if finite.size == 0:
            return cls([], [0.0], 1.0, [], int(np.size(values)))
        edges = np.unique(np.quantile(finite, BIN_LEVELS))
        return cls(
            edges=edges.tolist(),
            shares=_bin_shares(edges, finite, missing).tolist(),
            missing=missing,
            percentiles=np.quantile(finite, PERCENTILES).tolist(),
            count=int(np.size(values)),
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reference:
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def median(self) -> float:
        return self.percentiles[50] if self.percentiles else float("nan")


def _bin_shares(edges: Floats, finite: Floats, missing: float) -> Floats:
    """(len(edges) + 1,) share of all values in each bin; they sum to 1 − `missing`."""
    counts = np.bincount(np.searchsorted(edges, finite, side="left"), minlength=edges.size + 1)
    return counts / max(finite.size, 1) * (1.0 - missing)


def bin_shares(reference: Reference, values: npt.ArrayLike) -> tuple[Floats, float]:
    """(share per bin of `reference`, share missing) of `values`."""
    finite, missing = _finite(values)
    return _bin_shares(np.asarray(reference.edges), finite, missing), missing


def psi(reference: Reference, values: npt.ArrayLike) -> float:
    """Population stability index of `values` against `reference`, over its bins and the missing
    bin: Σ (current − reference) · ln(current / reference), each share floored at SHARE_FLOOR."""
    shares, missing = bin_shares(reference, values)
    current = np.maximum(np.r_[shares, missing], SHARE_FLOOR)
    expected = np.maximum(np.r_[reference.shares, reference.missing], SHARE_FLOOR)
    return float(np.sum((current - expected) * np.log(current / expected)))


def reference_cdf(reference: Reference, points: Floats) -> Floats:
    """The reference's CDF at `points`, from its percentiles: exact at each percentile value
    (where the levels of tied values end), linear in between, 0 below and 1 above them."""
    levels = np.asarray(reference.percentiles)  # (101,) non-decreasing
    values = np.unique(levels)
    at = PERCENTILES[np.searchsorted(levels, values, side="right") - 1]
    return np.where(points < values[0], 0.0, np.interp(points, values, at, right=1.0))


def ks(reference: Reference, values: npt.ArrayLike) -> float:
    """Kolmogorov-Smirnov statistic of the finite `values` against the reference's finite values,
    read from its percentiles (within about 0.01); NaN when either side has none."""
    finite, _ = _finite(values)
    if finite.size == 0 or not reference.percentiles:
        return float("nan")
    points = np.union1d(finite, reference.percentiles)
    current = np.searchsorted(np.sort(finite), points, side="right") / finite.size
    return float(np.max(np.abs(current - reference_cdf(reference, points))))


@dataclass(frozen=True)
class Thresholds:
    """When a PSI reads `watch` or `drift`, and how far the share of creators missing a kind of
    evidence may rise (absolute) before it reads `drift`; defaults: docs/decisions/0017."""

    psi_watch: float = 0.10
    psi_drift: float = 0.25
    missing_drift: float = 0.10

    def __post_init__(self) -> None:
        if not 0 < self.psi_watch <= self.psi_drift:
            raise ValueError(
                f"expected 0 < psi_watch <= psi_drift, got {self.psi_watch} and {self.psi_drift}"
            )
        if not 0 < self.missing_drift <= 1:
            raise ValueError(f"expected 0 < missing_drift <= 1, got {self.missing_drift}")

    def of_psi(self, value: float) -> Status:
        if value > self.psi_drift:
            return "drift"
        return "watch" if value > self.psi_watch else "ok"

    def of_missing(self, reference: float, current: float) -> Status:
        """A rise of missing evidence past `missing_drift` is drift, past half of it watch; a
        fall (more evidence than at training) is never a problem."""
        rise = current - reference
        if rise > self.missing_drift:
            return "drift"
        return "watch" if rise > self.missing_drift / 2 else "ok"


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=STATUSES.index, default="ok")
