"""The held-out fraud evaluation's FPR by country and its homogeneity test, on planted numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creatormatch.training import MIN_COUNTRY_CLEAN, country_fpr, homogeneity_p


def _creators(rates: dict[str, tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """(flagged, clean, countries) of clean creators: country → (clean count, flagged count)."""
    countries = [c for c, (n, _) in rates.items() for _ in range(n)]
    flagged = [i < k for c, (n, k) in rates.items() for i in range(n)]
    return np.array(flagged), np.ones(len(flagged), dtype=bool), pd.Series(countries)


def test_country_fpr_keeps_countries_with_enough_clean_creators_lowest_fpr_first() -> None:
    flagged, clean, countries = _creators({"US": (200, 20), "BR": (100, 5), "FR": (99, 0)})
    stats = country_fpr(flagged, clean, countries)
    assert list(stats.index) == ["BR", "US"]  # FR has fewer than MIN_COUNTRY_CLEAN
    assert stats["clean"].tolist() == [100, 200] and MIN_COUNTRY_CLEAN == 100
    assert stats["fpr"].tolist() == pytest.approx([0.05, 0.10])


def test_country_fpr_counts_only_clean_creators() -> None:
    flagged, clean, countries = _creators({"US": (150, 15)})
    fraud = np.r_[flagged, np.ones(50, dtype=bool)]
    is_clean = np.r_[clean, np.zeros(50, dtype=bool)]
    stats = country_fpr(fraud, is_clean, pd.concat([countries, pd.Series(["US"] * 50)]))
    assert stats.loc["US", "clean"] == 150
    assert stats.loc["US", "fpr"] == pytest.approx(0.1)


def test_homogeneity_rejects_very_different_fprs_and_accepts_equal_ones() -> None:
    different = country_fpr(*_creators({"US": (500, 5), "BR": (500, 100)}))
    equal = country_fpr(*_creators({"US": (500, 25), "BR": (500, 25)}))
    assert homogeneity_p(different) < 1e-6
    assert homogeneity_p(equal) > 0.5
    assert homogeneity_p(country_fpr(*_creators({"US": (500, 0), "BR": (500, 0)}))) == 1.0
