"""Plain-language reasons for a shortlist item: why this creator, for this brief.

The content reason quotes the creator's own topic words that the brief also uses, phrases first,
from the terms indexed when the creator was stored (`creatormatch.features.terms`).
"""

from __future__ import annotations

from collections.abc import Mapping

from creatormatch.features import Brief, ContentTerms, CreatorRecord, brief_stems, matching_terms


def content_reason(terms: ContentTerms, brief: Brief, similarity: float) -> str:
    """The content match, and the creator's own topic words that the brief also uses."""
    quoted = matching_terms(terms, brief_stems(brief.text))
    shown = f": {', '.join(quoted)}" if quoted else ""
    return f"content match {similarity:.2f}{shown}"


def audience_reason(record: CreatorRecord, brief: Brief, fit: Mapping[str, float]) -> str | None:
    """`fit`: the creator's audience fit columns of features.pairs (country_fit, ...)."""
    parts = []
    if fit["country_fit"] == fit["country_fit"]:
        parts.append(f"{fit['country_fit']:.0%} of audience in {', '.join(brief.countries)}")
    if fit["age_fit"] == fit["age_fit"]:
        parts.append(f"{fit['age_fit']:.0%} aged {', '.join(brief.ages)}")
    if fit["gender_fit"] == fit["gender_fit"]:
        parts.append(f"{fit['gender_fit']:.0%} {'/'.join(brief.genders)}")
    if record.audience is None:
        return "audience unknown: matched on content only"
    return "; ".join(parts) if parts else None


def fraud_reason(probability: float, band: str, reasons: list[str]) -> str:
    why = f": {reasons[0]}" if reasons and band != "low" else ""
    return f"fraud risk {band} ({probability:.0%}){why}"


def conversion_reason(expected: float, low: float, high: float, per_1k: float) -> str:
    return (
        f"predicted {expected:.1f} conversions per post (80% interval {low:.0f}-{high:.0f}), "
        f"{per_1k:.2f} per 1k impressions"
    )
