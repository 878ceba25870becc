"""The fixed vocabularies shared by records, the synthetic world, audience vectors and briefs."""

from __future__ import annotations

from typing import Final

AGE_BUCKETS: Final = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")
GENDERS: Final = ("female", "male", "other")
# The interest taxonomy; the first nine mirror the Kim et al. categories (family, interior → home).
INTERESTS: Final = (
    "beauty",
    "fashion",
    "fitness",
    "food",
    "travel",
    "family",
    "home",
    "pets",
    "tech",
    "gaming",
    "music",
    "sports",
    "finance",
    "outdoors",
    "wellness",
    "art",
)
# ISO 3166-1 alpha-2 codes with their own slot in the audience vector; others share "other".
COUNTRIES: Final = (
    "US", "GB", "CA", "AU", "IN", "BR", "MX", "ES", "FR", "DE",
    "IT", "NL", "SE", "PL", "TR", "ID", "PH", "JP", "KR", "NG",
)  # fmt: skip
OTHER_COUNTRY: Final = "other"

# Follower tiers of DESIGN.md: name → [low, high) follower bounds.
TIERS: Final = {
    "nano": (1_000, 10_000),
    "micro": (10_000, 100_000),
    "macro": (100_000, 1_000_000),
    "mega": (1_000_000, float("inf")),
}


def tier_of(followers: float | None) -> str | None:
    """The tier name of a follower count; below 1,000 counts as nano, unknown stays None."""
    if followers is None or followers != followers:
        return None
    for name, (_, high) in TIERS.items():
        if followers < high:
            return name
    return "mega"
