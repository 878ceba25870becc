"""The bundle: everything a shortlist needs, loaded and verified once.

The CLI loads one per command and the API one per process (in its lifespan). What is missing is
named in `degraded` instead of failing: a home with creators but no trained models still ranks by
match score.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import Home, NotReady, load_published
from creatormatch.features import TextEmbedder, creator_topics, embedded_topics, pitch_vector
from creatormatch.matching.candidates import CandidateTable, build_table
from creatormatch.matching.index import CreatorIndex
from creatormatch.matching.indexing import load_index
from creatormatch.models import ConversionModel, FraudModel, ReachModel, rule_of_thumb
from creatormatch.store import Catalog

# What each missing model changes, said as it is: fraud scores are stored in the catalog when
# creators are scored, so they outlive the model that made them.
NO_CONVERSION = (
    "no conversion model: ranked by match score × (1 − fraud_probability), without conversion "
    "estimates; run `creatormatch train`"
)
NO_FRAUD = (
    "no fraud model: fraud_probability is the score stored when a creator was last scored, "
    "null for creators stored since, and new records are not scored; run `creatormatch train`"
)
# Not a bundle's (a shortlist does not use it): the server notes it beside the bundle's.
NO_ACCOUNT = (
    "no account model: audience quality is unknown for creators stored since and in fraud "
    "scoring, and accounts cannot be scored; run `creatormatch accounts train`"
)


def settle(bundle: Bundle) -> None:
    """Finish what a first request would otherwise pay for, compile the conversion model's trees
    (3-5 s once; a request then takes a fifth fewer instructions, docs/decisions/0025), and hide
    everything loaded so far from the garbage collector.

    At 1M creators a bundle is millions of long-lived objects (the creator ids alone), and a
    full collection walked them all: 70-90 ms pauses, twice per 300 shortlists, which set the
    p99. Frozen objects are still freed by reference counting; only a reference cycle among
    them would outlive its use, and a bundle holds none that it drops.
    """
    bundle.label_rows  # noqa: B018 -- a property computed once
    bundle.topic_vectors  # noqa: B018 -- a property computed once
    bundle.pitch  # noqa: B018 -- a property computed once
    bundle.held_impressions  # noqa: B018 -- a property computed once
    bundle.held_topics  # noqa: B018 -- a property computed once
    if bundle.conversion is not None:
        bundle.conversion.compile()
    gc.collect()
    gc.freeze()


@dataclass
class Bundle:
    home: Home
    catalog: Catalog
    index: CreatorIndex
    embedder: TextEmbedder
    conversion: ConversionModel | None
    fraud: FraudModel | None
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Candidate data in memory, and the index labels that existed when it was read: creators
    # upserted since (labels at or above `held_below`) are read from the catalog instead.
    candidates: CandidateTable | None = None
    held_below: int = 0
    # Impressions of a sponsored post learned from outcomes; without it, organic views stand in.
    reach: ReachModel | None = None

    @property
    def degraded(self) -> list[str]:
        notes = []
        if self.conversion is None:
            notes.append(NO_CONVERSION)
        if self.fraud is None:
            notes.append(NO_FRAUD)
        return notes

    @cached_property
    def topic_vectors(self) -> npt.NDArray[np.float32]:
        """(topics, dim) the content taxonomy's labels, embedded as briefs are (features.topics)."""
        return embedded_topics(self.embedder)

    @cached_property
    def pitch(self) -> npt.NDArray[np.float32]:
        """(dim,) what every product pitch shares, left out of a brief's topic reading."""
        return pitch_vector(self.embedder)

    @property
    def topic_anchors(self) -> npt.NDArray[np.float32]:
        """(topics, dim) the labels moved toward this catalog's creators, trained with its index;
        the labels themselves for an index built before anchors (features.topics)."""
        anchors = self.index.topics_
        return self.topic_vectors if anchors is None else anchors

    @property
    def topic_middle(self) -> npt.NDArray[np.float32]:
        """(dim,) the catalog's mean content vector, computed with its index, which creators are
        read without; zero for an index built before it (features.creator_topics)."""
        middle = self.index.middle_
        return np.zeros(self.embedder.dimension, np.float32) if middle is None else middle

    @cached_property
    def held_topics(self) -> npt.NDArray[np.float32]:
        """(len(candidates), topics) topic profile of every creator held in memory. It reads only
        the creator's content: computed once at load instead of for 1,000 candidates a shortlist
        (~0.5 ms of ~10 ms), for 128 bytes a creator."""
        content = np.zeros((0, self.embedder.dimension), np.float32)
        if self.candidates is not None:
            content = self.candidates.content
        return creator_topics(content, self.topic_anchors, self.topic_middle)

    def topics(
        self, content: npt.NDArray[np.float32], rows: npt.NDArray[np.intp] | None
    ) -> npt.NDArray[np.float32]:
        """(n, topics) topic profiles of candidates with `content` (n, dim): the held ones' from
        memory when `rows` (their rows in the table) are known."""
        if rows is None:
            return creator_topics(content, self.topic_anchors, self.topic_middle)
        return self.held_topics[rows]

    @cached_property
    def label_rows(self) -> npt.NDArray[np.intp]:
        """(held_below,) candidate row of each index label held in memory; -1 where none."""
        if self.candidates is None:
            return np.full(0, -1, dtype=np.intp)
        return self.candidates.rows(self.index.filter_columns_.ids[: self.held_below])

    def impressions(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        """(n,) impressions of one sponsored post: learned from campaign outcomes when a reach
        model is trained, else from the creator's organic views."""
        return rule_of_thumb(features) if self.reach is None else self.reach.impressions(features)

    def use_reach(self, reach: ReachModel | None) -> None:
        """Serve `reach` from now on; the held creators' impressions follow it."""
        self.reach = reach
        self.__dict__.pop("held_impressions", None)  # the cached_property, computed afresh

    @cached_property
    def held_impressions(self) -> npt.NDArray[np.float64]:
        """(len(candidates),) `impressions` of every creator held in memory. Reach reads only
        the creator, never the brief: one prediction per creator at load instead of 1,000 per
        shortlist (~2 ms of a ~12 ms shortlist with models)."""
        if self.candidates is None:
            return np.zeros(0)
        return self.impressions(self.candidates.frame())

    def rows_of(self, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
        """(n,) candidate row of each index label; -1 where the catalog must be read instead
        (labels given to creators upserted since the table was read)."""
        known = self.label_rows
        rows = np.full(len(labels), -1, dtype=np.intp)
        held = labels < len(known)
        rows[held] = known[labels[held]]
        return rows


def load_candidates(catalog: Catalog, dimension: int) -> CandidateTable:
    """Every creator's candidate data, read in one pass (~N µs-scale per creator; see 0007)."""
    rows = catalog.candidate_rows()
    return build_table(rows, catalog.fraud_probabilities(), dimension=dimension)


def load_bundle(home: Home, *, embedder: TextEmbedder, resident: bool = True) -> Bundle:
    """The home's catalog, index and models, for briefs embedded by `embedder`.

    `resident` (a server, many shortlists) also reads every creator's candidate data into memory
    and settles it; a command that answers one brief leaves it False and reads only the
    candidates its search returns from the catalog.
    """
    if not home.catalog.is_file():
        raise NotReady(f"no catalog in {home.root}: run `creatormatch ingest FILE` first")
    catalog = Catalog(home.catalog)
    index, index_manifest = load_index(home, catalog, embedder)
    conversion, conversion_manifest = load_published(
        ConversionModel.load, home.model_dir("conversion")
    )
    fraud, fraud_manifest = load_published(FraudModel.load, home.model_dir("fraud"))
    reach, reach_manifest = load_published(ReachModel.load, home.model_dir("reach"))
    manifests = {
        "index": index_manifest,
        "conversion": conversion_manifest,
        "fraud": fraud_manifest,
        "reach": reach_manifest,
    }
    candidates = load_candidates(catalog, embedder.dimension) if resident else None
    bundle = Bundle(
        home, catalog, index, embedder, conversion, fraud,
        {k: v for k, v in manifests.items() if v},
        candidates=candidates, held_below=index.next_label_ if resident else 0, reach=reach,
    )  # fmt: skip
    if resident:
        settle(bundle)
    return bundle
