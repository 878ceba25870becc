"""Audience vectors: a creator's audience and a brief's target audience in one fixed layout.

Layout (AUDIENCE_DIM = 46): COUNTRIES + "other" (21) | AGE_BUCKETS (6) | GENDERS (3) |
INTERESTS (16). Each block is L2-normalised on its own and then scaled by the square root of its
weight, so the inner product of two vectors is Σ_block weight · cosine(block) over the blocks both
sides know. Without per-block normalisation the block with the most mass would decide alone:
country shares spread over many slots, gender shares concentrate on two, and raw shares of a
fully described audience have a squared norm dominated by genders and ages.

An unknown audience (or a brief without targets) is a zero vector with `known=False`: the
caller decides what unknown means (matching.vectors documents its choice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from creatormatch.features.brief import Brief
from creatormatch.features.records import Audience
from creatormatch.features.taxonomy import AGE_BUCKETS, COUNTRIES, GENDERS, INTERESTS, OTHER_COUNTRY

AudienceVector = npt.NDArray[np.float32]

COUNTRY_SLOTS: Final = (*COUNTRIES, OTHER_COUNTRY)
BLOCKS: Final = {
    "countries": COUNTRY_SLOTS,
    "ages": AGE_BUCKETS,
    "genders": GENDERS,
    "interests": INTERESTS,
}
# Weights of the blocks in the audience similarity (they sum to 1). Countries weigh most because
# a product ships, is priced and advertised per country; genders least because most audiences are
# mixed, so the gender cosine is high for nearly everyone and would mostly add a constant.
BLOCK_WEIGHTS: Final = {"countries": 0.35, "ages": 0.25, "genders": 0.15, "interests": 0.25}
AUDIENCE_DIM: Final = sum(len(slots) for slots in BLOCKS.values())

_SLOT = {
    block: {name.lower(): i for i, name in enumerate(slots)} for block, slots in BLOCKS.items()
}


def _block(block: str, shares: Mapping[str, float]) -> npt.NDArray[np.float64]:
    """(len(block slots),) unit-norm shares times sqrt(weight); zeros when nothing is known."""
    slots = _SLOT[block]
    values = np.zeros(len(slots), dtype=np.float64)
    for name, share in shares.items():
        # Countries outside the taxonomy share the "other" slot; unknown names of the closed
        # vocabularies (ages, genders, interests) have no slot and are ignored.
        slot = slots.get(name.lower(), slots.get(OTHER_COUNTRY) if block == "countries" else None)
        if slot is not None and share == share:
            values[slot] += share
    norm = np.linalg.norm(values)
    return values * (np.sqrt(BLOCK_WEIGHTS[block]) / norm) if norm > 0 else values


def _layout(blocks: Mapping[str, Mapping[str, float]]) -> AudienceVector:
    parts = [_block(name, blocks.get(name, {})) for name in BLOCKS]
    return np.concatenate(parts).astype(np.float32)  # (AUDIENCE_DIM,)


def audience_vector(audience: Audience | None) -> AudienceVector:
    """(AUDIENCE_DIM,) float32 vector of a creator's audience; all zeros when nothing is known."""
    if audience is None:
        return np.zeros(AUDIENCE_DIM, dtype=np.float32)
    return _layout(
        {
            "countries": audience.countries,
            "ages": {str(age): share for age, share in audience.ages.items()},
            "genders": {str(gender): share for gender, share in audience.genders.items()},
            "interests": audience.interests,
        }
    )


def audience_vectors(
    audiences: Sequence[Audience | None],
) -> tuple[AudienceVector, npt.NDArray[np.bool_]]:
    """((n, AUDIENCE_DIM) float32, (n,) known) for a list of audiences, in order."""
    vectors = np.zeros((len(audiences), AUDIENCE_DIM), dtype=np.float32)
    for row, audience in enumerate(audiences):
        vectors[row] = audience_vector(audience)
    known = vectors.any(axis=1).astype(
        bool
    )  # a non-empty block has a positive share, hence a non-zero slot
    return vectors, known


def _uniform(names: Iterable[str]) -> dict[str, float]:
    wanted = list(dict.fromkeys(names))
    return {name: 1.0 / len(wanted) for name in wanted}


def target_vector(brief: Brief) -> tuple[AudienceVector, bool]:
    """(AUDIENCE_DIM,) float32 target audience of a brief in the creators' layout, and known.

    Country weights are used as given; listed ages, genders and interests weigh equally. A block
    the brief leaves empty stays zero, so it does not count in the similarity.
    """
    vector = _layout(
        {
            "countries": brief.countries,
            "ages": _uniform(brief.ages),
            "genders": _uniform(brief.genders),
            "interests": _uniform(brief.interests),
        }
    )
    return vector, bool(vector.any())


def neutral_audience() -> AudienceVector:
    """(AUDIENCE_DIM,) float32: uniform shares in every block, the prior for an unknown audience."""
    return _layout({block: _uniform(slots) for block, slots in BLOCKS.items()})
