import numpy as np
import pandas as pd
import pytest

from creatormatch.core import InvalidInput
from creatormatch.features import (
    SampledAccount,
    account_features,
    audience_quality,
    audience_quality_frame,
    wilson_interval,
)
from creatormatch.models import AccountModel


def test_wilson_interval_narrows_as_the_sample_grows() -> None:
    small, large = wilson_interval(2, 20), wilson_interval(200, 2000)
    assert small[0] < 0.1 < small[1] and large[0] < 0.1 < large[1]
    assert large[1] - large[0] < (small[1] - small[0]) / 5


def test_wilson_interval_refuses_more_successes_than_trials() -> None:
    with pytest.raises(InvalidInput, match="expected 0 <= k <= n"):
        wilson_interval(3, 2)


@pytest.fixture(scope="module")
def planted_model() -> AccountModel:
    """Planted rule: fakes follow many and are followed by few."""
    rng = np.random.default_rng(0)
    n = 1500
    fake = rng.random(n) < 0.3
    followers = np.where(fake, rng.integers(0, 50, n), rng.integers(200, 5000, n))
    following = np.where(fake, rng.integers(1000, 5000, n), rng.integers(50, 800, n))
    frame = pd.DataFrame({"followers": followers, "following": following})
    X = account_features(frame)
    return AccountModel(dropout_copies=0).fit(X, fake)


def _sample(n: int, fakes: int) -> list[SampledAccount]:
    fake = SampledAccount(username="x123", followers=3, following=3000)
    real = SampledAccount(username="anna", followers=900, following=300)
    return [fake] * fakes + [real] * (n - fakes)


def test_share_of_suspicious_followers_and_its_interval_narrow_with_n(
    planted_model: AccountModel,
) -> None:
    small = audience_quality(_sample(20, 4), planted_model)
    large = audience_quality(_sample(2000, 400), planted_model)
    assert small.share_suspicious == pytest.approx(0.2) and small.n == 20
    assert large.share_suspicious == pytest.approx(0.2) and large.n == 2000
    assert small.low < large.low < 0.2 < large.high < small.high


def test_frame_rows_with_invalid_values_are_left_out_of_n(planted_model: AccountModel) -> None:
    frame = pd.DataFrame({"followers": ["3", "900", "-1"], "following": ["3000", "300", "5"]})
    quality = audience_quality(frame, planted_model)
    assert quality.n == 2 and quality.share_suspicious == pytest.approx(0.5)


def test_empty_sample_has_no_share_and_the_widest_interval(planted_model: AccountModel) -> None:
    quality = audience_quality([], planted_model)
    assert np.isnan(quality.share_suspicious) and (quality.low, quality.high, quality.n) == (
        0,
        1,
        0,
    )


def test_a_sample_below_the_minimum_gives_no_share_but_keeps_its_count(
    planted_model: AccountModel,
) -> None:
    samples = {"one": _sample(1, 1), "few": _sample(20, 20), "many": _sample(25, 5)}
    frame = audience_quality_frame(samples, planted_model, min_accounts=25)
    assert frame["share_suspicious"].isna().tolist() == [True, True, False]
    assert frame["n"].tolist() == [1, 20, 25] and frame.loc["few", "high"] == 1.0
    assert frame.loc["many", "share_suspicious"] == pytest.approx(0.2)
