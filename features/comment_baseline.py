"""What ordinary comments look like per language: the baseline the comment-text signals are read
against.

Which comments read as generic, repeated or emoji-only depends on the language the audience writes
in: Polish fans write "super" (an English filler word), and an audience writing in one language
repeats the same few phrases more than an audience mixing two. Judged against one pooled (mostly
English) baseline, whole languages drifted toward the `medium` band. `CommentBaseline` holds the
median of each share per creator language, fitted on a population; the fraud model reads a
creator's share minus the median of its language (docs/decisions/0004-fraud-model.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import ArtifactError, InvalidInput, NotFitted

POOLED = "*"  # the whole population: languages with too few creators, or none stated
LANGUAGE_SHARES = ("generic_comment_share", "duplicate_comment_share", "emoji_only_share")
# The signal the fraud model reads for each share: the share minus its language's median.
VS_LANGUAGE = {
    "generic_comment_share": "generic_vs_language",
    "duplicate_comment_share": "duplicate_vs_language",
    "emoji_only_share": "emoji_only_vs_language",
}


def language_code(language: str | None) -> str | None:
    """The primary subtag, lower-cased: "pl-PL", "PL" and "pl_pl" are all "pl"; "" is None."""
    if language is None:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code or None


@dataclass
class CommentBaseline:
    """Median of each of LANGUAGE_SHARES per creator language (and pooled), from a population."""

    min_count: int = 30  # creators with a known share a language needs; fewer use the pooled one

    def fit(self, frame: pd.DataFrame) -> Self:
        """`frame`: one row per creator with a `language` column and LANGUAGE_SHARES."""
        missing = sorted({"language", *LANGUAGE_SHARES} - set(frame.columns))
        if missing:
            raise InvalidInput(f"comment baseline needs language and {LANGUAGE_SHARES}; {missing}")
        shares = frame.loc[:, list(LANGUAGE_SHARES)].astype("float64")
        languages = frame["language"].map(language_code, na_action="ignore")
        known = shares.notna().all(axis=1)
        self.table_ = {POOLED: _medians(shares[known])}
        for language, group in shares[known].groupby(languages[known]):
            if len(group) >= self.min_count:
                self.table_[str(language)] = _medians(group)
        return self

    def lookup(self, languages: Sequence[str | None] | pd.Series) -> npt.NDArray[np.float64]:
        """(n, len(LANGUAGE_SHARES)): each creator's language medians, pooled where unknown."""
        if not hasattr(self, "table_"):
            raise NotFitted("the comment baseline is not fitted: call fit() or load it first")
        pooled = self.table_[POOLED]
        # A column of only unknown languages reaches here as NaN floats, not None.
        codes = [language_code(x) if isinstance(x, str) else None for x in languages]
        rows = [self.table_.get(code or POOLED, pooled) for code in codes]
        return np.array(rows, dtype=np.float64).reshape(-1, len(LANGUAGE_SHARES))

    def to_json(self) -> dict[str, Any]:
        # A population with no comment sample at all has NaN medians: JSON stores them as null.
        table = {k: [None if x != x else x for x in v] for k, v in self.table_.items()}
        return {"min_count": self.min_count, "shares": list(LANGUAGE_SHARES), "table": table}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        if data.get("shares") != list(LANGUAGE_SHARES):
            raise ArtifactError(
                f"comment baseline holds {data.get('shares')}, this code reads {LANGUAGE_SHARES}"
            )
        baseline = cls(min_count=int(data["min_count"]))
        baseline.table_ = {
            k: [np.nan if x is None else float(x) for x in v] for k, v in data["table"].items()
        }
        return baseline


def _medians(shares: pd.DataFrame) -> list[float]:
    return [float(shares[column].median()) for column in LANGUAGE_SHARES]
