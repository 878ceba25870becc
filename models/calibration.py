"""Platt-calibrated probabilities and risk bands, shared by the account and fraud models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

LOW = "low"


def calibrated(
    raw: npt.NDArray[np.float64], calibration: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """Probabilities from raw log-odds (n,) through the fitted (slope, intercept)."""
    slope, intercept = calibration
    return np.asarray(expit(slope * raw + intercept), dtype=np.float64)  # no overflow warning


def bands_of(probabilities: npt.ArrayLike, thresholds: Mapping[str, float]) -> list[str]:
    """Band of each probability: the strictest whose threshold it reaches, else "low"."""
    strictest_first = sorted(thresholds.items(), key=lambda kv: -kv[1])
    return [
        next((name for name, cut in strictest_first if p >= cut), LOW)
        for p in np.asarray(probabilities, dtype=np.float64)
    ]


def calibration_json(
    calibration: tuple[float, float], thresholds: Mapping[str, float]
) -> dict[str, object]:
    """The learned calibration and band thresholds as the JSON sidecar stores them."""
    return {"calibration": list(calibration), "thresholds": dict(thresholds)}


def calibration_from_json(
    extra: Mapping[str, Any],
) -> tuple[tuple[float, float], dict[str, float]]:
    """(calibration, thresholds) back from a sidecar written by `calibration_json`."""
    slope, intercept = extra["calibration"]
    thresholds = {str(name): float(cut) for name, cut in extra["thresholds"].items()}
    return (float(slope), float(intercept)), thresholds
