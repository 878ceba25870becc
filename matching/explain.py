"""Plain-language reasons for a shortlist item: why this creator, for this brief."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from creatormatch.features import Brief, CreatorRecord

_WORD = re.compile(r"#?[^\W\d_][\w'-]{2,}", re.UNICODE)
_STOP = frozenset(
    "the and for with you your our are this that from have has was were will can not but all "
    "who what when where how into out about more most than then them they their its it's "
    "just like love new get got one day time make best good great want need looking brand "
    "creators creator audience people women men".split()
)


def _terms(text: str) -> Counter[str]:
    words = (w.lower().lstrip("#") for w in _WORD.findall(text))
    return Counter(w for w in words if w not in _STOP)


def matching_terms(record: CreatorRecord, brief: Brief, *, top: int = 5) -> list[str]:
    """Words of the brief that the creator's bio, captions or hashtags use, most used first."""
    wanted = set(_terms(brief.text))
    texts = [record.bio or ""] + [p.caption or "" for p in record.posts]
    texts += [" ".join(p.hashtags or []) for p in record.posts]
    used = _terms(" ".join(texts))
    return [word for word, _ in used.most_common() if word in wanted][:top]


def content_reason(record: CreatorRecord, brief: Brief, similarity: float) -> str:
    terms = matching_terms(record, brief)
    shown = f": {', '.join(terms)}" if terms else ""
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
