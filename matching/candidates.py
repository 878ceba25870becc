"""What a shortlist reads about its candidates, held in memory as arrays, row-aligned by creator.

Reading features JSON, fraud scores, profiles and content vectors of 1,000 candidates from SQLite
took ~50 ms of a ~110 ms shortlist at 100k creators (docs/decisions/0007). The bundle loads this
table once; a shortlist gathers rows with one `get_indexer` and fancy indexing.

Pair features are computed here over the arrays with exactly the arithmetic of
`features.pairs.pair_frame` (left-to-right sums of float64 shares, NaN where pair_frame gives
NaN); tests/creatormatch/test_shortlisting.py asserts both agree on the same creators.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features import Brief
from creatormatch.features.pairs import CREATOR_COLUMNS

# Engineered columns a shortlist reads: pair features, hard filters, impressions, the item.
FEATURE_COLUMNS = tuple(
    dict.fromkeys(
        [c for c in CREATOR_COLUMNS if c != "fraud_probability"]
        + ["price_per_post", "followers", "median_views"]
    )
)
AUDIENCE_BLOCKS = ("countries", "ages", "genders", "interests")
PAIR_COLUMNS = ("country_fit", "age_fit", "gender_fit", "interest_fit")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Gathered:
    """Candidate data for a brief, in the order of the ids asked for."""

    features: pd.DataFrame  # (n, FEATURE_COLUMNS + fraud_probability) float64, by creator_id
    content: npt.NDArray[np.float32]  # (n, dim) unit rows
    pairs: pd.DataFrame  # (n, brief-dependent pair columns) float64, by creator_id

    def take(self, rows: npt.NDArray[np.intp]) -> Gathered:
        return Gathered(self.features.iloc[rows], self.content[rows], self.pairs.iloc[rows])

    @staticmethod
    def concat(parts: Sequence[Gathered]) -> Gathered:
        return Gathered(
            pd.concat([p.features for p in parts]),
            np.concatenate([p.content for p in parts]),
            pd.concat([p.pairs for p in parts]),
        )


@dataclass(frozen=True)
class Codes:
    """A string column as int32 codes into `vocabulary` (lower-cased; -1 where unknown)."""

    codes: npt.NDArray[np.int32]
    vocabulary: pd.Index

    @classmethod
    def of(cls, values: Sequence[str | None]) -> Codes:
        lowered = [None if v is None else v.lower() for v in values]
        codes, vocabulary = pd.factorize(pd.Series(lowered, dtype=object), use_na_sentinel=True)
        return cls(codes.astype(np.int32), pd.Index(vocabulary))

    def match(self, rows: npt.NDArray[np.intp], wanted: Iterable[str]) -> Floats:
        """`features.pairs._match`: 1.0 if the value is among `wanted`, NaN if either is unknown."""
        wanted = {w.lower() for w in wanted}
        if not wanted:
            return np.full(len(rows), np.nan)
        hit = np.isin(
            self.codes[rows], self.vocabulary.get_indexer(pd.Index(list(wanted), dtype=object))
        )
        return np.where(self.codes[rows] < 0, np.nan, hit.astype(np.float64))


@dataclass(frozen=True)
class Ragged:
    """Lists of strings (categories) as offsets (n + 1,) into codes of `vocabulary`."""

    offsets: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    vocabulary: pd.Index

    @classmethod
    def of(cls, lists: Sequence[Sequence[str] | None]) -> Ragged:
        lengths = np.array([len(x or ()) for x in lists], dtype=np.int64)
        flat = [value for x in lists for value in (x or ())]
        codes, vocabulary = pd.factorize(pd.Series(flat, dtype=object))
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        return cls(offsets, codes.astype(np.int32), pd.Index(vocabulary))

    def overlap(self, rows: npt.NDArray[np.intp], wanted: Sequence[str]) -> Floats:
        """`features.pairs._niche_match`: any list item in `wanted`; NaN for empty lists/wanted."""
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        if not wanted:
            return np.full(len(rows), np.nan)
        owner = np.repeat(np.arange(len(rows)), lengths)  # (m,) candidate of each item
        flat = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        hit = np.isin(
            self.codes[starts[owner] + flat],
            self.vocabulary.get_indexer(pd.Index(wanted, dtype=object)),
        )
        any_hit = np.bincount(owner[hit], minlength=len(rows)) > 0
        return np.where(lengths == 0, np.nan, any_hit.astype(np.float64))


@dataclass(frozen=True)
class Shares:
    """One audience block as dense float64 shares (n, keys); a NaN row where pair_frame sees none.

    Float64 and a left-to-right sum keep `inside()` of features.pairs exact to the last bit.
    """

    values: Floats
    keys: pd.Index

    @classmethod
    def of(cls, blocks: Sequence[dict[str, float] | None]) -> Shares:
        keys = pd.Index(sorted({k for b in blocks if b for k in b}), dtype=object)
        slot = {k: i for i, k in enumerate(keys)}
        values = np.zeros((len(blocks), len(keys)), dtype=np.float64)
        for row, block in enumerate(blocks):
            if not block:
                values[row] = np.nan
                continue
            for key, share in block.items():
                values[row, slot[key]] = share
        if not len(keys):
            values = np.full((len(blocks), 1), np.nan)
        return cls(values, keys)

    def inside(self, rows: npt.NDArray[np.intp], wanted: Sequence[str]) -> Floats:
        if not wanted:
            return np.full(len(rows), np.nan)
        total = np.zeros(len(rows))
        for column in self.keys.get_indexer(pd.Index(list(wanted), dtype=object)):
            total = total + (self.values[rows, column] if column >= 0 else 0.0)
        return np.where(np.isnan(self.values[rows, 0]), np.nan, total)


@dataclass(frozen=True)
class CandidateTable:
    """Every creator of the catalog at load time, one row each (see the module docstring)."""

    ids: pd.Index  # (n,) creator_id of each row
    features: Floats  # (n, len(FEATURE_COLUMNS)), NaN where unknown
    fraud: Floats  # (n,) fraud probability, NaN where unscored
    content: npt.NDArray[np.float32]  # (n, dim) unit rows
    language: Codes
    country: Codes
    categories: Ragged
    audience: dict[str, Shares]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays: list[npt.NDArray[Any]] = [self.features, self.fraud, self.content]
        arrays += [self.language.codes, self.country.codes]
        arrays += [self.categories.offsets, self.categories.codes]
        arrays += [shares.values for shares in self.audience.values()]
        # The ids' pointers and, once `rows` has been asked, pandas' hash table over them.
        return sum(a.nbytes for a in arrays) + self.ids.memory_usage()

    def rows(
        self, creator_ids: Sequence[str | None] | npt.NDArray[np.object_]
    ) -> npt.NDArray[np.intp]:
        """(n,) row of each id; -1 for ids this table does not hold."""
        return self.ids.get_indexer(pd.Index(creator_ids, dtype=object))

    def gather(
        self, rows: npt.NDArray[np.intp], brief: Brief, text: npt.NDArray[np.float32]
    ) -> Gathered:
        """Candidate data for `rows` (all held), with the pair features of `brief`."""
        ids = pd.Index(self.ids[rows], name="creator_id")
        # One block, built at once: adding a column afterwards costs ~3 ms (string columns index).
        features = pd.DataFrame(
            np.column_stack([self.features[rows], self.fraud[rows]]),
            index=ids,
            columns=[*FEATURE_COLUMNS, "fraud_probability"],
        )
        content = self.content[rows]
        audience = {
            column: self.audience[block].inside(rows, wanted)  # type: ignore[arg-type]
            for column, block, wanted in zip(
                PAIR_COLUMNS, AUDIENCE_BLOCKS,
                (list(brief.countries), brief.ages, brief.genders, brief.interests), strict=True,
            )
        }  # fmt: skip
        pairs = pd.DataFrame(
            {
                "content_similarity": (content @ text).astype(np.float64),
                **audience,
                "language_match": self.language.match(rows, brief.languages),
                "country_match": self.country.match(rows, list(brief.countries)),
                "niche_match": self.categories.overlap(rows, brief.interests),
            },
            index=ids,
        )
        return Gathered(features, content, pairs)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def build_table(
    rows: Iterable[tuple], fraud: dict[str, float], *, dimension: int
) -> CandidateTable:
    """A table from catalog rows (creator_id, features JSON, language, country, categories
    JSON, audience JSON, content vector bytes) and fraud probabilities by creator_id."""
    ids, features, languages, countries, categories, audiences, vectors = [], [], [], [], [], [], []
    for creator_id, feature_json, language, country, category_json, audience_json, blob in rows:
        if blob is None or len(blob) != 4 * dimension:
            raise ValueError(f"expected a {dimension}-d content vector for {creator_id}: re-ingest")
        ids.append(creator_id)
        known = json.loads(feature_json)
        features.append([known.get(column) for column in FEATURE_COLUMNS])
        languages.append(language)
        countries.append(country)
        categories.append(_loads(category_json))
        audiences.append(_loads(audience_json) or {})
        vectors.append(blob)
    content = np.frombuffer(b"".join(vectors), dtype=np.float32).reshape(len(ids), dimension)
    return CandidateTable(
        ids=pd.Index(ids, dtype=object),
        features=np.array(features, dtype=np.float64).reshape(len(ids), len(FEATURE_COLUMNS)),
        fraud=np.array([fraud.get(c, np.nan) for c in ids], dtype=np.float64),
        content=content,
        language=Codes.of(languages),
        country=Codes.of(countries),
        categories=Ragged.of(categories),
        audience={
            b: Shares.of([a.get(b) if a else None for a in audiences]) for b in AUDIENCE_BLOCKS
        },
    )
