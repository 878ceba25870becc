"""Platt-calibrated probabilities and risk bands, shared by the account and fraud models."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

LOW = "low"


def calibrated(
    raw: npt.NDArray[np.float64], calibration: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """Probabilities from raw log-odds (n,) through the fitted (slope, intercept)."""
    slope, intercept = calibration
    return 1.0 / (1.0 + np.exp(-(slope * raw + intercept)))


def bands_of(probabilities: npt.ArrayLike, thresholds: Mapping[str, float]) -> list[str]:
    """Band of each probability: the strictest whose threshold it reaches, else "low"."""
    strictest_first = sorted(thresholds.items(), key=lambda kv: -kv[1])
    return [
        next((name for name, cut in strictest_first if p >= cut), LOW)
        for p in np.asarray(probabilities, dtype=np.float64)
    ]
