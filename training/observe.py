"""What the drift monitor compares, read from a home by one function at train time (the
snapshot) and at every monitor run, so the two sides are measured the same way.

Scores come from the models the home publishes: fraud probabilities as stored in the catalog,
the reach model's impressions per creator, and the conversion model's rate for a few fixed
probe briefs (`Probes`, kept in the snapshot) over a fixed-size sample of creators — the
conversion model reads (brief, creator) pairs, so a catalog alone has no conversion score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import MANIFEST, Home, NotReady, load_published, verify
from creatormatch.features import EVIDENCE_MINIMUMS, Brief, Embeddings, fraud_context, pair_frame
from creatormatch.matching import creator_vectors
from creatormatch.models import ConversionModel, ReachModel
from creatormatch.store import Catalog
from creatormatch.training.evalset import model_columns
from creatormatch.training.promotion import MODELS, artifact_id

Floats = npt.NDArray[np.float64]
PROBE_CREATORS = 1_000  # creators each probe brief is rated against
# Creators whose full records are read for evidence counts (a few ms each): a share from 2,000
# is within ±0.011 (one standard error, at worst), against a drift threshold of 0.10.
EVIDENCE_CREATORS = 2_000
CHUNK = 200  # full records held at once: each is ~0.2 MB of Python objects in the world's data
NO_AUDIENCE = "audience"


@dataclass(frozen=True)
class Probes:
    """Briefs the conversion model is asked about, the same at train time and at monitor time."""

    briefs: list[Brief]
    vectors: Embeddings  # (n_briefs, dim) unit text vectors, as the snapshot stored them


@dataclass(frozen=True)
class Observation:
    features: pd.DataFrame  # (n_creators, n_features) the catalog's engineered features
    scores: dict[str, Floats]  # score name → (n,) values, for each model the home publishes
    evidence: dict[str, float]  # evidence kind → share of creators below its minimum
    content: Embeddings  # (n_creators, dim) unit content vectors
    models: dict[str, str]  # model name → artifact id of the published copy read


def published_models(home: Home) -> dict[str, str]:
    """Model name → artifact id of each model the home publishes (verified)."""
    return {
        name: artifact_id(verify(home.model_dir(name)))
        for name in MODELS
        if (home.model_dir(name) / MANIFEST).is_file()
    }


def fixed_sample(n: int, size: int) -> npt.NDArray[np.intp]:
    """Sorted positions of at most `size` of n rows, the same for the same n and size."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, size=size, replace=False))


def evidence_meaning(kind: str) -> str:
    """What a creator counted as missing evidence of `kind` lacks, in words."""
    if kind == NO_AUDIENCE:
        return "no audience breakdown"
    return f"fewer than {EVIDENCE_MINIMUMS[kind]} {kind.replace('_', ' ')}"


def evidence_shares(catalog: Catalog, ids: Sequence[str]) -> dict[str, float]:
    """Share of creators below each EVIDENCE_MINIMUMS count (comments, posts, days of follower
    history, sampled followers), from a fixed sample of EVIDENCE_CREATORS; and the share of all
    creators with no audience breakdown."""
    sample = [ids[i] for i in fixed_sample(len(ids), EVIDENCE_CREATORS)]
    counts = pd.concat(
        [
            fraud_context(catalog.records(sample[i : i + CHUNK]))
            for i in range(0, len(sample), CHUNK)
        ]
    )
    shares = {
        kind: float((counts[kind] < minimum).mean()) for kind, minimum in EVIDENCE_MINIMUMS.items()
    }
    shares[NO_AUDIENCE] = 1.0 - len(catalog.audience_vectors(ids)) / len(ids)
    return shares


def conversion_rates(
    model: ConversionModel,
    catalog: Catalog,
    creators: pd.DataFrame,
    content: Embeddings,
    probes: Probes,
) -> Floats:
    """(n_briefs × n_sampled,) predicted conversion rates of the probe briefs over the sample of
    `creators` (rows in the order of `content`)."""
    rows = fixed_sample(len(creators), PROBE_CREATORS)
    profiles = catalog.profiles(list(creators.index[rows]))
    rates = [
        model.rate(
            model_columns(
                pair_frame(brief, profiles, creators, content[rows] @ vector),
                model.feature_names_in_,
            )
        )
        for brief, vector in zip(probes.briefs, probes.vectors, strict=True)
    ]
    return np.concatenate(rates) if rates else np.zeros(0)


def _scores(
    home: Home, catalog: Catalog, creators: pd.DataFrame, content: Embeddings, probes: Probes
) -> dict[str, Floats]:
    scores = {}
    if (home.model_dir("fraud") / MANIFEST).is_file():
        scores["fraud_probability"] = creators["fraud_probability"].to_numpy()
    reach, _ = load_published(ReachModel.load, home.model_dir("reach"))
    if reach is not None:
        scores["reach_impressions"] = reach.impressions(creators)
    conversion, _ = load_published(ConversionModel.load, home.model_dir("conversion"))
    if conversion is not None and probes.briefs:
        scores["conversion_rate"] = conversion_rates(conversion, catalog, creators, content, probes)
    return scores


def observe(home: Home, catalog: Catalog, *, dimension: int, probes: Probes) -> Observation:
    """The catalog's features, scores, evidence and content vectors, with today's models."""
    ids = catalog.creator_ids()
    if not ids:
        raise NotReady(f"the catalog in {home.root} holds no creators: nothing to monitor")
    creators = catalog.features(ids)
    stored = catalog.fraud_probabilities()
    creators["fraud_probability"] = [stored.get(c, np.nan) for c in ids]
    content, _, _ = creator_vectors(catalog, ids, dimension=dimension)
    return Observation(
        features=creators.drop(columns="fraud_probability"),
        scores=_scores(home, catalog, creators, content, probes),
        evidence=evidence_shares(catalog, ids),
        content=content,
        models=published_models(home),
    )
