"""Plain-language reasons for a shortlist item: why this creator, for this brief.

The content reason quotes the creator's own words that the brief also uses: topic words, never
filler in any language (`creatormatch.features.is_filler`), at least three letters. A creator's
word meets a brief's on a light English stem (`_stem`), so "workouts" meets "workout" and
"cooking" meets "cook"; the reason shows the creator's own spelling. Runs of such words next to
each other in the creator's bio, captions or one hashtag ("home workouts", #mealprep) are
phrases, and phrases are quoted before single words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping

from creatormatch.features import Brief, CreatorRecord, Post, hashtag_words, hashtags, is_filler

_LETTERS = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
# URLs, @mentions and hashtags end a phrase rather than vanish: "love #yoga flow" is not
# "love flow". Hashtags are read on their own, split into words.
_NOT_PROSE = re.compile(r"(?:https?://|www\.)\S+|[@#][\w.]+", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_VOWEL = re.compile(r"[aeiouy]")
_MIN_LETTERS = 3
_MAX_PHRASE = 4


def _stem(word: str) -> str:
    """Plural -s, then -ing (and a doubled consonant: "running" → "run"), then a final -e go; a
    final -ie reads as -y. Only for meeting inflections: the reason shows the creator's word."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing") and _VOWEL.search(word[:-3]):
        word = word[:-3]
        if word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    if word.endswith("ie"):
        word = word[:-2] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


@functools.lru_cache(maxsize=1 << 16)
def _key(word: str) -> str | None:
    """The stem of a topic word; None for filler and words under three letters. Cached: a
    shortlist explains every item by the same few hundred words."""
    word = word.lower()
    return _stem(word) if len(word) >= _MIN_LETTERS and not is_filler(word) else None


def _apart(left: re.Match[str], right: re.Match[str]) -> bool:
    gap = left.string[left.end() : right.start()]
    return gap != "-" and bool(gap.strip(" \t"))


def _stretches(
    words: Iterable[re.Match[str]], wanted: frozenset[str]
) -> Iterator[list[tuple[str, re.Match[str]]]]:
    """Runs of the brief's words among `words` (stem, where) that stand next to each other: only
    a space or a hyphen between two of them; any other word or mark ends a run. `words` may
    leave out words that are not wanted: the text between two kept ones then holds letters, so
    they are apart."""
    stretch: list[tuple[str, re.Match[str]]] = []
    for match in words:
        key = _key(match.group())
        if stretch and (key not in wanted or _apart(stretch[-1][1], match)):
            yield stretch
            stretch = []
        if key is not None and key in wanted:
            stretch.append((key, match))
    if stretch:
        yield stretch


def _candidates(text: str, prefixes: frozenset[str]) -> Iterable[re.Match[str]]:
    """The words of `text` that begin with one of `prefixes`, in order.

    Finding those beginnings with `str.find` skips the other words of a creator's captions
    without a Python step for each (docs/decisions/0026). Where lower-casing changes
    the text's length, positions in the lower-cased text would not be the text's: every word is
    read then.
    """
    low = text.lower()
    if len(low) != len(text):
        return _LETTERS.finditer(text)
    starts: set[int] = set()
    for prefix in prefixes:
        at = low.find(prefix)
        while at >= 0:
            if at == 0 or not _LETTER.match(low, at - 1):
                starts.add(at)
            at = low.find(prefix, at + 1)
    return [match for at in sorted(starts) if (match := _LETTERS.match(low, at))]


def _content(record: CreatorRecord, prefixes: frozenset[str]) -> Iterator[tuple[str, int]]:
    """The creator's own content, each text with how often it is used: bio and captions as one
    text (once), each hashtag as words (as many times as the bio and posts use it). A mark
    stands between any two captions, which no phrase crosses.

    A post whose caption and hashtags hold none of `prefixes` gives no hashtag a word of the
    brief (a hashtag's words are its letters, split): its hashtags are not counted. On random
    pairs of 12-post creators and briefs that was a third of the reasons' instructions
    (docs/decisions/0026).
    """
    captions = [record.bio or ""] + [post.caption or "" for post in record.posts]
    yield _NOT_PROSE.sub("|", " | ".join(captions)), 1
    tags: dict[str, int] = {}
    for tag in [t.lower() for t in _HASHTAG.findall(record.bio or "")] + [
        tag for post in record.posts if _mentions(post, prefixes) for tag in hashtags([post])
    ]:
        tags[tag] = tags.get(tag, 0) + 1
    yield from ((hashtag_words(tag), count) for tag, count in tags.items())


def _mentions(post: Post, prefixes: frozenset[str]) -> bool:
    text = " ".join([post.caption or "", *(post.hashtags or ())]).lower()
    return any(prefix in text for prefix in prefixes)


@functools.lru_cache(maxsize=1024)
def _wanted(brief_text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The stems of the brief's topic words, and what a word whose stem is one of them begins
    with: `_stem` only cuts a word's end or turns its final "ie" into "y", so that is the stem
    less its last letter."""
    wanted = frozenset(stem for word in _LETTERS.findall(brief_text) if (stem := _key(word)))
    return wanted, frozenset(stem[:-1] for stem in wanted)


def matching_terms(record: CreatorRecord, brief: Brief, *, top: int = 5) -> list[str]:
    """Up to `top` phrases, then words, of the creator's content made of the brief's topic
    words, most used first; no word is quoted twice."""
    wanted, prefixes = _wanted(brief.text)
    counts: dict[tuple[str, ...], int] = {}
    spellings: dict[tuple[str, ...], dict[str, int]] = {}
    for text, times in _content(record, prefixes):
        for stretch in _stretches(_candidates(text, prefixes), wanted):
            parts = [[token] for token in stretch]
            for part in [*parts, stretch] if 2 <= len(stretch) <= _MAX_PHRASE else parts:
                (_, first), (_, last) = part[0], part[-1]  # "plant-based" as the creator wrote it
                key = tuple(stem for stem, _ in part)
                spelling = text[first.start() : last.end()].lower()
                counts[key] = counts.get(key, 0) + times
                seen = spellings.setdefault(key, {})
                seen[spelling] = seen.get(spelling, 0) + times
    return _most_used(counts, spellings, top)


def _most_used(
    counts: Mapping[tuple[str, ...], int],
    spellings: Mapping[tuple[str, ...], Mapping[str, int]],
    top: int,
) -> list[str]:
    """Phrases, then single words, each most used first (ties: first seen); a phrase or word
    with a word already quoted is left out."""
    ranked = sorted(counts, key=lambda key: (len(key) == 1, -counts[key]))
    chosen: list[str] = []
    quoted: set[str] = set()
    for key in ranked:
        if quoted.isdisjoint(key):
            chosen.append(max(spellings[key], key=spellings[key].__getitem__))
            quoted.update(key)
    return chosen[:top]


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
