"""Audience quality: the share of suspicious accounts in a creator's follower or commenter sample.

Each sampled account is scored by the account model; an account is suspicious when its calibrated
probability (at the 10 % deployment prior) is at least `SUSPICIOUS_PROBABILITY` (0.5: more likely
fake than not). The share comes with a Wilson 95 % interval, so a sample of 20 accounts says less
than a sample of 2,000. The count is a flag rate, not an unbiased estimate of the fake share: a
model that misses some fakes (or flags some real accounts) shifts it; see docs/decisions/0003.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput
from creatormatch.features.accounts import account_features, from_sampled, validated_accounts
from creatormatch.features.records import SampledAccount

Z95 = 1.959963984540054
# An account counts as suspicious when it is more likely fake than not at the deployment prior.
SUSPICIOUS_PROBABILITY = 0.5


class AccountScorer(Protocol):
    """What audience quality needs of `models.account.AccountModel` (features never import
    models: the model package builds on this one)."""

    def predict_proba(self, X: pd.DataFrame) -> npt.NDArray[np.float64]: ...


@dataclass(frozen=True)
class AudienceQuality:
    share_suspicious: float  # NaN when no account could be scored
    low: float
    high: float
    n: int  # accounts scored


def wilson_interval(k: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of k successes in n trials; (0, 1) when n is 0."""
    if not 0 <= k <= n:
        raise InvalidInput(f"expected 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def audience_quality(
    accounts: Sequence[SampledAccount] | pd.DataFrame,
    model: AccountScorer,
    *,
    threshold: float = SUSPICIOUS_PROBABILITY,
) -> AudienceQuality:
    """Share of `accounts` the model scores at or above `threshold`, with a Wilson 95 % interval.

    A frame uses the canonical columns (features/accounts.py); its rows with invalid values are
    left out of `n`.
    """
    if isinstance(accounts, pd.DataFrame):
        clean, problems = validated_accounts(accounts)
        frame = clean.loc[(problems == "").to_numpy()]
    else:
        frame = from_sampled(accounts)
    if frame.empty:
        return AudienceQuality(float("nan"), 0.0, 1.0, 0)
    flagged = int(np.sum(model.predict_proba(account_features(frame)) >= threshold))
    low, high = wilson_interval(flagged, len(frame))
    return AudienceQuality(flagged / len(frame), low, high, len(frame))


def audience_quality_frame(
    samples: Mapping[str, Sequence[SampledAccount]],
    model: AccountScorer,
    *,
    threshold: float = SUSPICIOUS_PROBABILITY,
    min_accounts: int = 1,
) -> pd.DataFrame:
    """`audience_quality` for many creators at once: one frame, one model call.

    Returns columns share_suspicious, low, high, n, indexed by the keys of `samples`; a creator
    with fewer than `min_accounts` scored accounts gets NaN share (1 fake of 1 is not "100 %
    fake") but keeps its interval and n.
    """
    owners = [cid for cid, accounts in samples.items() for _ in accounts]
    accounts = [account for sample in samples.values() for account in sample]
    counts = pd.Series(0, index=pd.Index(list(samples), name="creator_id"), dtype="int64")
    flagged = counts.copy()
    if accounts:
        probabilities = model.predict_proba(account_features(from_sampled(accounts)))
        per_owner = pd.DataFrame({"owner": owners, "flag": probabilities >= threshold})
        grouped = per_owner.groupby("owner", sort=False)["flag"]
        counts = counts.add(grouped.size(), fill_value=0).astype("int64")
        flagged = flagged.add(grouped.sum(), fill_value=0).astype("int64")
    bounds = [wilson_interval(int(k), int(n)) for k, n in zip(flagged, counts, strict=True)]
    return pd.DataFrame(
        {
            "share_suspicious": flagged / counts.where(counts >= max(min_accounts, 1)),
            "low": [low for low, _ in bounds],
            "high": [high for _, high in bounds],
            "n": counts,
        },
        index=counts.index,
    )
