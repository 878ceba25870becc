"""The rows each model trains on, read from the catalog, and the frozen rows it is judged on.

Evaluation rows never train: the outcomes of the brands in the outcome evaluation set (a brand's
campaigns are never split), the creators in the fraud evaluation set. New rows of those brands or
creators stay out of training too, so the frozen set keeps measuring unseen data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from creatormatch.core import Home, NotReady
from creatormatch.features import CampaignOutcome, TextEmbedder
from creatormatch.matching import creator_vectors
from creatormatch.store import Catalog
from creatormatch.training.conversion import (
    MIN_OUTCOMES,
    ConversionData,
    conversion_data,
    held_out_brands,
)
from creatormatch.training.evalset import EvalSet, freeze_evalset, latest_evalset

OUTCOMES = "outcomes"
FRAUD = "fraud"
FRAUD_EVAL_SHARE = 0.2
T = TypeVar("T")


@dataclass(frozen=True)
class Split(Generic[T]):
    train: T
    evalset: EvalSet
    note: str  # why a new evaluation set version was frozen now; "" when the old one serves

    def describe(self) -> str:
        return self.evalset.label + (f", new: {self.note}" if self.note else "")


def outcome_rows(
    catalog: Catalog, embedder: TextEmbedder, outcomes: Sequence[CampaignOutcome]
) -> ConversionData:
    """Pair features of `outcomes` (screened: every creator is in the catalog)."""
    creator_ids = sorted({o.creator_id for o in outcomes})
    records = {r.creator_id: r for r in catalog.records(creator_ids)}
    creators = catalog.features(creator_ids)
    scores = catalog.fraud_scores(creator_ids)
    creators["fraud_probability"] = [
        scores.get(c, {}).get("probability", np.nan) for c in creators.index
    ]
    content, _, _ = creator_vectors(catalog, creator_ids, dimension=embedder.dimension)
    vectors = dict(zip(creator_ids, content, strict=True))
    return conversion_data(outcomes, records, creators, vectors, embedder)


def _renewal(
    current: EvalSet | None, columns: Mapping[str, pd.Index], *, fresh: bool
) -> str | None:
    """Why a new evaluation set version is needed, or None when `current` still serves."""
    if current is None:
        return "the first one"
    if fresh:
        return "asked for (--new-eval-set)"
    for table, wanted in columns.items():
        if missing := sorted(set(wanted) - set(current.tables[table].columns)):
            return f"v{current.version} lacks the columns {missing[:5]} this code computes"
    return None


def split_outcomes(
    home: Home, data: ConversionData, *, fresh: bool = False
) -> Split[ConversionData]:
    """Training rows, and the outcome evaluation set (frozen from `data` when needed)."""
    current = latest_evalset(home, OUTCOMES)
    columns = {"pairs": data.X.columns, "creators": data.creators.columns}
    note = _renewal(current, columns, fresh=fresh)
    if current is None or note is not None:
        seed = 0 if current is None else current.version
        held = np.isin(data.brands, held_out_brands(data.brands, seed=seed))
        current = freeze_evalset(home, OUTCOMES, data.subset(held).tables())
    evaluated = current.tables["rows"]["brand_id"].unique()
    train = data.subset(~np.isin(data.brands, evaluated))
    if len(train.conversions) < MIN_OUTCOMES:
        raise NotReady(
            f"{len(train.conversions)} outcomes are left to train on besides the "
            f"{len(evaluated)} brands of {current.label}; need {MIN_OUTCOMES}: ingest more "
            "outcomes, or train with --new-eval-set"
        )
    return Split(train, current, note or "")


def split_fraud(
    home: Home, tables: dict[str, pd.DataFrame], *, fresh: bool = False
) -> Split[pd.Index]:
    """The creator ids to train on, and the fraud evaluation set (a stratified FRAUD_EVAL_SHARE
    of `tables`' labelled creators, frozen when needed)."""
    current = latest_evalset(home, FRAUD)
    note = _renewal(current, {"signals": tables["signals"].columns}, fresh=fresh)
    if current is None or note is not None:
        labels = tables["labels"]
        _, held = train_test_split(
            labels.index.to_numpy(dtype=object),
            test_size=FRAUD_EVAL_SHARE,
            stratify=labels["is_fraud"].astype(bool),
            random_state=0 if current is None else current.version,
        )
        current = freeze_evalset(home, FRAUD, {k: t.loc[held] for k, t in tables.items()})
    train = tables["labels"].index.difference(current.tables["labels"].index)
    return Split(train, current, note or "")
