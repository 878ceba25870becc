"""Screen campaign outcomes before training: rows that cannot be real measurements are rejected,
with a count per reason that `creatormatch train` prints and the registry keeps.

Rejected (the first reason that applies, in REASONS order):
- a creator the catalog does not hold (nothing to learn the pair features from), or no brief;
- no impressions (a rate needs an exposure);
- more conversions than clicks or than impressions, more clicks than impressions;
- the same measurement filed under another campaign (same creator, posting time and counts): the
  campaign first in id order keeps it.

Plausible rows that are merely unlikely (a rate far beyond what the creator's other rows and
similar creators predict) are down-weighted instead: `outcome_weights.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from creatormatch.features import CampaignOutcome

UNKNOWN_CREATOR = "creator not in the catalog"
NO_BRIEF = "no brief"
NO_IMPRESSIONS = "no impressions"
ABOVE_CLICKS = "conversions above clicks"
ABOVE_IMPRESSIONS = "conversions or clicks above impressions"
DUPLICATE = "duplicate of another campaign's row"
REASONS = (UNKNOWN_CREATOR, NO_BRIEF, NO_IMPRESSIONS, ABOVE_CLICKS, ABOVE_IMPRESSIONS, DUPLICATE)


@dataclass(frozen=True)
class Screened:
    kept: list[CampaignOutcome]
    rejected: dict[str, int]  # reason → rows, only reasons that occurred, in REASONS order

    def counts(self) -> dict[str, float]:
        """Rows rejected per reason, every reason, as metric names MLflow accepts."""
        return {
            "outcomes_rejected." + re.sub(r"\W+", "_", reason): float(self.rejected.get(reason, 0))
            for reason in REASONS
        }

    def summary(self) -> str:
        total = len(self.kept) + sum(self.rejected.values())
        if not self.rejected:
            return f"{total} outcomes, none rejected"
        reasons = ", ".join(f"{count} {reason}" for reason, count in self.rejected.items())
        return f"{total} outcomes, {sum(self.rejected.values())} rejected ({reasons})"


def implausible(outcome: CampaignOutcome, known: Collection[str]) -> str | None:
    """Why `outcome` cannot be trained on, or None."""
    clicks = outcome.clicks
    if outcome.creator_id not in known:
        return UNKNOWN_CREATOR
    if outcome.brief is None:
        return NO_BRIEF
    if outcome.impressions == 0:
        return NO_IMPRESSIONS
    if clicks is not None and outcome.conversions > clicks:
        return ABOVE_CLICKS
    if max(outcome.conversions, clicks or 0) > outcome.impressions:
        return ABOVE_IMPRESSIONS
    return None


def _measurement(outcome: CampaignOutcome) -> tuple[object, ...]:
    """What two campaigns' rows share when one measurement was filed twice."""
    return (
        outcome.creator_id,
        outcome.posted_at,
        outcome.impressions,
        outcome.clicks,
        outcome.conversions,
    )


def screen_outcomes(outcomes: Sequence[CampaignOutcome], *, known: Collection[str]) -> Screened:
    """Keep the plausible rows of `outcomes`; `known` holds the catalog's creator ids."""
    reasons: Counter[str] = Counter()
    kept: list[CampaignOutcome] = []
    first_campaign: dict[tuple[object, ...], str] = {}
    for outcome in sorted(outcomes, key=lambda o: (o.campaign_id, o.creator_id)):
        reason = implausible(outcome, known)
        if reason is None:
            owner = first_campaign.setdefault(_measurement(outcome), outcome.campaign_id)
            reason = None if owner == outcome.campaign_id else DUPLICATE
        if reason is None:
            kept.append(outcome)
        else:
            reasons[reason] += 1
    return Screened(kept, {reason: reasons[reason] for reason in REASONS if reasons[reason]})
