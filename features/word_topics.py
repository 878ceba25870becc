"""The catalog's own reading of a brief's words: the topics of the creators who use them.

MiniLM does not know many product nouns: "ukulele", "stroller" and "nappies" read no clear topic
on the taxonomy's labels, and "candles" reads Beauty. The catalog knows them: the creators who
use a word. A word's profile is the mean topic profile of the creators whose topic words
(`features.terms`, stems) contain it; a brief's is the idf-weighted mean over its words that the
catalog reads surely, and joins the labels' reading of the brief in `features.topics.brief_topics`.
No label is read: the creators' profiles are their zero-shot ones (docs/decisions/0031).

The table is counted once, when the index is built (`WordCounts`, a chunk of creators at a time),
and kept with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatormatch.features.terms import brief_stems
from creatormatch.features.text import brief_clauses, product_attribute

# A word read by fewer creators is an accident of a few captions; one read by more than a fifth
# of the catalog names no niche. Only words whose profile peaks at WORD_PEAK or more are kept.
MIN_CREATORS = 5
MAX_SHARE = 0.2
WORD_PEAK = 0.6

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class WordTopics:
    """Each word the catalog reads surely: its stem, idf and topic profile."""

    words: npt.NDArray[np.str_]  # (V,) stems, sorted
    idf: npt.NDArray[np.float32]  # (V,) log(creators / creators using the word)
    profiles: Vectors  # (V, topics) mean topic profile of the creators using the word

    def of(self, stems: Iterable[str]) -> Vectors | None:
        """(topics,) the idf-weighted mean profile of the `stems` the table holds; None when it
        holds none of them."""
        wanted = np.array(sorted(set(stems)), dtype=self.words.dtype)
        if not len(wanted) or not len(self.words):
            return None
        at = np.minimum(np.searchsorted(self.words, wanted), len(self.words) - 1)
        rows = at[self.words[at] == wanted]
        if not len(rows):
            return None
        weights = self.idf[rows]
        return (weights @ self.profiles[rows] / weights.sum()).astype(np.float32)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, words=self.words, idf=self.idf, profiles=self.profiles)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> WordTopics:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            return cls(arrays["words"], arrays["idf"], arrays["profiles"])


class WordCounts:
    """Counts, chunk by chunk, how many creators use each word and the sum of their profiles."""

    def __init__(self, topics: int) -> None:
        self._vocabulary: dict[str, int] = {}
        self._creators = np.zeros(0, dtype=np.int64)  # (V,)
        self._sums = np.zeros((0, topics), dtype=np.float64)  # (V, topics)
        self._seen = 0

    def add(self, stem_sets: Sequence[Iterable[str]], profiles: Vectors) -> None:
        """Count creators whose topic-word stems are `stem_sets` and profiles (n, topics)."""
        vocabulary = self._vocabulary
        rows: list[int] = []
        words: list[int] = []
        for row, stems in enumerate(stem_sets):
            for stem in set(stems):
                words.append(vocabulary.setdefault(stem, len(vocabulary)))
                rows.append(row)
        self._seen += len(stem_sets)
        grown = len(vocabulary) - len(self._creators)
        if grown:
            self._creators = np.concatenate([self._creators, np.zeros(grown, np.int64)])
            self._sums = np.vstack([self._sums, np.zeros((grown, self._sums.shape[1]))])
        if not words:
            return
        at, of = np.asarray(words), np.asarray(rows)
        self._creators += np.bincount(at, minlength=len(vocabulary))
        for topic in range(self._sums.shape[1]):  # np.add.at over rows is ~10x slower
            self._sums[:, topic] += np.bincount(
                at, weights=profiles[of, topic], minlength=len(vocabulary)
            )

    def table(self) -> WordTopics:
        """The words read surely: used by MIN_CREATORS to MAX_SHARE of the creators counted,
        with a profile that peaks at WORD_PEAK or more."""
        creators = self._creators
        used = np.maximum(creators, 1)[:, None]
        profiles = self._sums / used
        keep = (
            (creators >= MIN_CREATORS)
            & (creators <= MAX_SHARE * self._seen)
            & (profiles.max(axis=1, initial=0.0) >= WORD_PEAK)
        )
        names = np.array(list(self._vocabulary), dtype=np.str_)[keep]
        order = np.argsort(names)
        idf = np.log(self._seen / creators[keep])
        return WordTopics(
            names[order], idf[order].astype(np.float32), profiles[keep][order].astype(np.float32)
        )


def topic_stems(text: str) -> frozenset[str]:
    """The stems of a brief's words that the catalog may read: its clauses' topic words, the
    first clause's product attribute left out ("with travel points" of a credit card: its
    attribute often names another niche than the product, docs/decisions/0030)."""
    clauses = brief_clauses(text)
    split = product_attribute(clauses[0])
    if split is not None:
        clauses = [split[0], *clauses[1:]]
    return brief_stems(" | ".join(clauses))
