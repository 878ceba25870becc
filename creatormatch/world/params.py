"""Parameters of the synthetic world and the benchmark constants it is calibrated to.

Every number here is documented, with its source, in docs/world.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Final

PLATFORMS: Final = ("instagram", "tiktok", "youtube")
PLATFORM_SHARE: Final = (0.60, 0.25, 0.15)
TIER_NAMES: Final = ("nano", "micro", "macro", "mega")
# Share of creators per tier (HypeAuditor-style census of accounts with 1k+ followers).
TIER_SHARE: Final = (0.64, 0.285, 0.065, 0.01)
TIER_BOUNDS: Final = ((1_000, 10_000), (10_000, 100_000), (100_000, 1_000_000), (1_000_000, 3e8))
PARETO_ALPHA: Final = 0.8  # within-tier slope of the follower density ∝ f^-(alpha+1)
# Median engagement rate (likes + comments) / followers at 1k followers, and its decay exponent:
# ER(f) = ER_1K * (f / 1000) ** -ER_DECAY. Instagram ≈ 3.8 % nano → 1.2 % mega.
ER_1K: Final = {"instagram": 0.045, "tiktok": 0.10, "youtube": 0.032}
ER_DECAY: Final = {"instagram": 0.165, "tiktok": 0.12, "youtube": 0.15}
# Views per post as a share of followers (organic reach of video posts).
VIEW_REACH: Final = {"instagram": 0.25, "tiktok": 0.45, "youtube": 0.18}
COMMENT_SHARE: Final = {"instagram": 0.025, "tiktok": 0.012, "youtube": 0.05}

FRAUD_ARCHETYPES: Final = (
    "bought_followers",
    "bought_likes",
    "engagement_pod",
    "bot_comments",
    "follow_churn",
)
LOOKALIKES: Final = ("viral_spike", "fast_growth", "niche_high_engagement")
ARCHETYPES: Final = ("none", *FRAUD_ARCHETYPES, *LOOKALIKES)
# Prevalence per archetype: 18 % fraud, 9 % legitimate look-alikes, the rest honest.
PREVALENCE: Final = {
    "bought_followers": 0.07,
    "bought_likes": 0.03,
    "engagement_pod": 0.03,
    "bot_comments": 0.03,
    "follow_churn": 0.02,
    "viral_spike": 0.03,
    "fast_growth": 0.03,
    "niche_high_engagement": 0.03,
}

TODAY: Final = date(2024, 6, 30)  # the world's "now": fixed so files are byte-identical
N_POSTS: Final = 12
SERIES_DAYS: Final = 75  # generated; each creator shows its last 60-75 days
COMMENTED_POSTS: Final = 6  # the comment sample covers the most recent posts
COMMENTS_PER_POST: Final = 5
FOLLOWER_SAMPLE: Final = 34
COMMENTER_SAMPLE: Final = 8
AUDIENCE_MISSING: Final = 0.20
PRICE_MISSING: Final = 0.15


@dataclass(frozen=True, kw_only=True)
class WorldParams:
    """What to generate: size, seed, number of brands and how loud fraud is."""

    n_creators: int = 2_000
    seed: int = 0
    n_brands: int = 40
    fraud_intensity: float = 1.0

    def __post_init__(self) -> None:
        if self.n_creators < 10:
            raise ValueError(f"expected n_creators >= 10, got {self.n_creators}")
        if self.n_brands < 1:
            raise ValueError(f"expected n_brands >= 1, got {self.n_brands}")
        if not 0.0 < self.fraud_intensity <= 4.0:
            raise ValueError(f"expected fraud_intensity in (0, 4], got {self.fraud_intensity}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
