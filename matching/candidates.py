"""What a shortlist reads about its candidates, held in memory as arrays, row-aligned by creator.

Reading features JSON, fraud scores, profiles and content vectors of 1,000 candidates from SQLite
took ~50 ms of a ~110 ms shortlist at 100k creators (docs/decisions/0007). The bundle loads this
table once; a shortlist gathers rows with one `get_indexer` and fancy indexing. Pair features
come from `features.pairs.CreatorSide`, the code path training uses too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.features import CREATOR_COLUMNS, Brief, CreatorSide

# Engineered columns a shortlist reads: pair features, hard filters, impressions, the item.
FEATURE_COLUMNS = tuple(
    dict.fromkeys(
        [c for c in CREATOR_COLUMNS if c != "fraud_probability"]
        + ["price_per_post", "followers", "median_views"]
    )
)
# The frames' column labels, built once: a list given to each new frame becomes an Arrow string
# index whose lookup table pandas builds again for every frame (~5 % of a shortlist,
# docs/decisions/0026); an object index keeps its table.
GATHERED_COLUMNS = pd.Index([*FEATURE_COLUMNS, "fraud_probability"], dtype=object)
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Gathered:
    """Candidate data for a brief, in the order of the ids asked for."""

    features: pd.DataFrame  # (n, FEATURE_COLUMNS + fraud_probability) float64, by creator_id
    content: npt.NDArray[np.float32]  # (n, dim) unit rows
    pairs: pd.DataFrame  # (n, brief-dependent pair columns) float64, by creator_id
    # (n,) row of each in the CandidateTable, when all came from it (None: some from the catalog)
    rows: npt.NDArray[np.intp] | None = None

    def take(self, rows: npt.NDArray[np.intp]) -> Gathered:
        held = None if self.rows is None else self.rows[rows]
        return Gathered(self.features.iloc[rows], self.content[rows], self.pairs.iloc[rows], held)

    @staticmethod
    def concat(parts: Sequence[Gathered]) -> Gathered:
        return Gathered(
            pd.concat([p.features for p in parts]),
            np.concatenate([p.content for p in parts]),
            pd.concat([p.pairs for p in parts]),
        )


@dataclass(frozen=True)
class CandidateTable:
    """Every creator of the catalog at load time, one row each (see the module docstring)."""

    ids: pd.Index  # (n,) creator_id of each row
    features: Floats  # (n, len(FEATURE_COLUMNS)), NaN where unknown
    fraud: Floats  # (n,) fraud probability, NaN where unscored
    content: npt.NDArray[np.float32]  # (n, dim) unit rows
    side: CreatorSide  # what pair features read

    def __len__(self) -> int:
        return len(self.ids)

    def frame(self) -> pd.DataFrame:
        """Every row's FEATURE_COLUMNS and fraud probability, as `gather` gives them."""
        return pd.DataFrame(
            np.column_stack([self.features, self.fraud]),
            index=pd.Index(self.ids, name="creator_id"),
            columns=GATHERED_COLUMNS,
        )

    @property
    def nbytes(self) -> int:
        side = self.side
        arrays: list[npt.NDArray[Any]] = [self.features, self.fraud, self.content]
        arrays += [side.language.codes, side.country.codes]
        arrays += [side.categories.offsets, side.categories.items.codes]
        arrays += [shares.values for shares in side.audience.values()]
        # The ids' pointers and, once `rows` has been asked, pandas' hash table over them.
        return sum(a.nbytes for a in arrays) + self.ids.memory_usage()

    def rows(
        self, creator_ids: Sequence[str | None] | npt.NDArray[np.object_]
    ) -> npt.NDArray[np.intp]:
        """(n,) row of each id; -1 for ids this table does not hold."""
        return self.ids.get_indexer(pd.Index(creator_ids, dtype=object))

    def gather(
        self,
        rows: npt.NDArray[np.intp],
        brief: Brief,
        text: npt.NDArray[np.float32],
        content: npt.NDArray[np.float32] | None = None,
    ) -> Gathered:
        """Candidate data for `rows` (all held), with the pair features of `brief`; `content`:
        the rows' vectors where the caller has them (a second read of 1,000 rows scattered over
        the whole table costs as much as the first)."""
        ids = pd.Index(self.ids[rows], name="creator_id")
        # One block, built at once: adding a column afterwards costs ~3 ms (string columns index).
        features = pd.DataFrame(
            np.column_stack([self.features[rows], self.fraud[rows]]),
            index=ids,
            columns=GATHERED_COLUMNS,
        )
        content = self.content[rows] if content is None else content
        pairs = self.side.pairs(rows, brief, content @ text, ids)
        return Gathered(features, content, pairs, rows)


VECTOR_BLOCK = 65_536  # content vectors copied at once when a table is built


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _vector_block(vectors: list[bytes], dimension: int) -> npt.NDArray[np.float32]:
    """(n, dimension) array of the vectors' bytes, in memory numpy allocates.

    Each shortlist reads 2,000 rows scattered over the whole block. numpy asks the kernel for
    huge pages for its large arrays (the bytes of one joined `bytes` object get none), so a
    read takes one TLB entry per 2 MB instead of one per 4 kB row: 0.65-0.76 ms instead of
    0.87-1.0 ms for 2,000 rows of 100k (docs/decisions/0025). Filled in blocks, so that no
    second copy of the whole block is ever held.
    """
    content = np.empty((len(vectors), dimension), dtype=np.float32)
    for start in range(0, len(vectors), VECTOR_BLOCK):
        part = vectors[start : start + VECTOR_BLOCK]
        content[start : start + len(part)] = np.frombuffer(
            b"".join(part), dtype=np.float32
        ).reshape(len(part), dimension)
    return content


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
    return CandidateTable(
        ids=pd.Index(ids, dtype=object),
        features=np.array(features, dtype=np.float64).reshape(len(ids), len(FEATURE_COLUMNS)),
        fraud=np.array([fraud.get(c, np.nan) for c in ids], dtype=np.float64),
        content=_vector_block(vectors, dimension),
        side=CreatorSide.build(languages, countries, categories, audiences),
    )
