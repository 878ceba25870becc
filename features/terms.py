"""The topic words of a creator's content, indexed once for the reasons of every shortlist.

A shortlist item's content reason quotes the creator's own words that the brief also uses
(`creatormatch.matching.explain`): topic words, never filler in any language (`is_filler`), at
least three letters. A creator's word meets a brief's on a light English stem (`_stem`), so
"workouts" meets "workout" and "cooking" meets "cook"; the reason shows the creator's own
spelling. Runs of such words next to each other in the creator's bio, captions or one hashtag
("home workouts", #mealprep) are phrases, and phrases are quoted before single words. Scripts
written without spaces between words (Chinese, Japanese, Thai…) make a run of letters a phrase or
a whole sentence, "良い週末を" ("have a good weekend"), not a word: such runs are never quoted,
since without a word segmenter a greeting cannot be told from a topic.

Reading a creator's captions for that was most of a shortlist on demo-like records, so it is
done once, when the creator is stored: `content_terms` lists the topic words in order with what
is needed to join them into phrases, indexed by stem, and `matching_terms` reads only the brief's
stems (docs/decisions/0028).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from creatormatch.features.records import CreatorRecord
from creatormatch.features.stopwords import is_filler
from creatormatch.features.text import hashtag_words, hashtags

_LETTERS = re.compile(r"[^\W\d_]+")
# URLs, @mentions and hashtags end a phrase rather than vanish: "love #yoga flow" is not
# "love flow". Hashtags are read on their own, split into words.
_NOT_PROSE = re.compile(r"(?:https?://|www\.)\S+|[@#][\w.]+", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_VOWEL = re.compile(r"[aeiouy]")
# Thai, Lao, Myanmar, Khmer, Hiragana, Katakana, CJK ideographs, half-width Katakana.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f]"
)
_MIN_LETTERS = 3
_MAX_PHRASE = 4

# A topic word in `ContentTerms.words`: its spelling (lower case), how often its text is used,
# and what stands between it and the topic word before it when the two make a phrase (a space,
# a hyphen); None when they cannot (other words or marks between, or another text).
Word = tuple[str, int, str | None]


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
    """The stem of a topic word; None for filler and words under three letters. Cached: the
    same few thousand words make most captions."""
    word = word.lower()
    if len(word) < _MIN_LETTERS or is_filler(word) or _UNSPACED.search(word):
        return None
    return _stem(word)


@functools.lru_cache(maxsize=1024)
def brief_stems(text: str) -> frozenset[str]:
    """The stems of a brief's topic words."""
    return frozenset(stem for word in _LETTERS.findall(text) if (stem := _key(word)))


def _texts(record: CreatorRecord) -> Iterator[tuple[str, int]]:
    """The creator's own content, each text with how often it is used: bio and captions as one
    text (once), each hashtag as words (as many times as the bio and posts use it). A mark
    stands between any two captions, which no phrase crosses."""
    captions = [record.bio or ""] + [post.caption or "" for post in record.posts]
    yield _NOT_PROSE.sub("|", " | ".join(captions)), 1
    tags: dict[str, int] = {}
    for tag in [t.lower() for t in _HASHTAG.findall(record.bio or "")] + [
        tag for post in record.posts for tag in hashtags([post])
    ]:
        tags[tag] = tags.get(tag, 0) + 1
    yield from ((hashtag_words(tag), count) for tag, count in tags.items())


def _joined(gap: str) -> bool:
    """Two words make a phrase when only spaces or tabs, or one hyphen, stand between them."""
    return gap == "-" or not gap.strip(" \t")


@dataclass(frozen=True, slots=True)
class ContentTerms:
    """A creator's topic words in the order of its content, and where each stem stands. Read
    back from JSON, each word is a list of its three fields, not a tuple: read by index."""

    words: Sequence[Word]
    positions: Mapping[str, Sequence[int]]

    def to_json(self) -> str:
        return json.dumps([self.words, self.positions], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ContentTerms:
        words, positions = json.loads(text)
        return cls(words, positions)


def content_terms(record: CreatorRecord) -> ContentTerms:
    """Every topic word of the creator's content, read once."""
    words: list[Word] = []
    positions: dict[str, list[int]] = {}
    for text, times in _texts(record):
        previous: re.Match[str] | None = None  # the word before, when it is a topic word
        for match in _LETTERS.finditer(text):
            key = _key(match.group())
            if key is not None:
                gap = None if previous is None else text[previous.end() : match.start()]
                positions.setdefault(key, []).append(len(words))
                words.append((match.group().lower(), times, gap if gap and _joined(gap) else None))
            previous = match if key is not None else None
    return ContentTerms(words, positions)


def matching_terms(terms: ContentTerms, wanted: frozenset[str], *, top: int = 5) -> list[str]:
    """Up to `top` phrases, then words, of the creator's content made of the `wanted` stems,
    most used first; no word is quoted twice."""
    found = sorted(
        (at, stem) for stem in wanted.intersection(terms.positions) for at in terms.positions[stem]
    )
    counts: dict[tuple[str, ...], int] = {}
    spellings: dict[tuple[str, ...], dict[str, int]] = {}
    for stretch in _stretches(found, terms.words):
        parts = [[token] for token in stretch]
        for part in [*parts, stretch] if 2 <= len(stretch) <= _MAX_PHRASE else parts:
            key = tuple(stem for _, stem in part)
            spelling = _spelling([at for at, _ in part], terms.words)
            times = terms.words[part[0][0]][1]
            counts[key] = counts.get(key, 0) + times
            seen = spellings.setdefault(key, {})
            seen[spelling] = seen.get(spelling, 0) + times
    return _most_used(counts, spellings, top)


def _stretches(
    found: list[tuple[int, str]], words: Sequence[Word]
) -> Iterator[list[tuple[int, str]]]:
    """Runs of neighbouring wanted words: each joined to the one before it."""
    stretch: list[tuple[int, str]] = []
    for at, stem in found:
        if stretch and (at != stretch[-1][0] + 1 or words[at][2] is None):
            yield stretch
            stretch = []
        stretch.append((at, stem))
    if stretch:
        yield stretch


def _spelling(at: list[int], words: Sequence[Word]) -> str:
    """A run of words as the creator wrote them ("plant-based"), in lower case."""
    first, *rest = at
    return words[first][0] + "".join(f"{words[i][2]}{words[i][0]}" for i in rest)


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
