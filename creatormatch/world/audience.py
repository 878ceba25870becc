"""Audience shares correlated with the creator's niche, country and platform.

countries (n, 21: COUNTRIES + other), ages (n, 6), genders (n, 3), interests (n, 16). Bought
followers shift the country mix towards the regions follower farms register accounts in.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from creatormatch.features import COUNTRIES, INTERESTS
from creatormatch.world.creators import Columns
from creatormatch.world.languages import COUNTRY_INDEX, NEIGHBOURS
from creatormatch.world.lexicon import RELATED

# Age profile per niche (13-17 … 55+), and the female share of each niche's audience.
AGE_PROFILE = {
    "young": (0.10, 0.38, 0.32, 0.12, 0.05, 0.03),
    "adult": (0.03, 0.20, 0.36, 0.24, 0.11, 0.06),
    "teen": (0.25, 0.42, 0.22, 0.07, 0.03, 0.01),
}
NICHE_AGE = {"family": "adult", "home": "adult", "finance": "adult", "outdoors": "adult",
             "food": "adult", "wellness": "adult", "gaming": "teen", "music": "teen"}  # fmt: skip
FEMALE = {"beauty": 0.85, "fashion": 0.75, "family": 0.78, "home": 0.70, "wellness": 0.72,
          "food": 0.60, "pets": 0.65, "travel": 0.58, "fitness": 0.55, "art": 0.60,
          "music": 0.50, "tech": 0.28, "gaming": 0.25, "sports": 0.30, "finance": 0.35,
          "outdoors": 0.42}  # fmt: skip
FARM_COUNTRIES = ("IN", "ID", "BR", "TR")
PLATFORM_YOUTH = np.array([0.0, 0.08, -0.03])  # TikTok audiences skew younger


def _matrix(rows: dict[int, list[int]], width: int) -> npt.NDArray[np.float64]:
    out = np.zeros((len(rows), width))
    for i, cols in rows.items():
        out[i, cols] = 1.0
    return out


def countries(rng: np.random.Generator, cols: Columns) -> npt.NDArray[np.float64]:
    n, w = cols["country"].shape[0], len(COUNTRIES) + 1
    neigh = _matrix(
        {
            i: [COUNTRY_INDEX.get(c, w - 1) for c in NEIGHBOURS[k].split("|")]
            for i, k in enumerate(COUNTRIES)
        },
        w,
    )
    own = np.where(cols["tier"] >= 3, rng.uniform(0.3, 0.6, n), rng.uniform(0.45, 0.85, n))
    shares = np.zeros((n, w))
    shares[np.arange(n), cols["country"]] = own
    spill = neigh[cols["country"]] * rng.dirichlet(np.ones(w), n) * 3 + rng.dirichlet(
        np.ones(w) * 0.3, n
    )
    spill = spill / spill.sum(axis=1, keepdims=True)
    legit = shares + (1.0 - own)[:, None] * spill
    farm = np.zeros(w)
    farm[[COUNTRY_INDEX[c] for c in FARM_COUNTRIES]] = 0.2
    farm[-1] = 0.2
    fake = cols["bought_share"][:, None]
    return (1.0 - fake) * legit + fake * farm


def ages(rng: np.random.Generator, cols: Columns) -> npt.NDArray[np.float64]:
    profile = np.array([AGE_PROFILE[NICHE_AGE.get(name, "young")] for name in INTERESTS])
    base = profile[cols["niche"]]
    youth = PLATFORM_YOUTH[cols["platform"]][:, None] * np.array([1, 1, 0, -0.8, -0.7, -0.5])
    alpha = np.clip(base + youth, 0.005, None) * 40.0
    return _dirichlet(rng, alpha)


def _dirichlet(rng: np.random.Generator, alpha: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    g = rng.gamma(alpha)
    return g / g.sum(axis=1, keepdims=True)


def genders(rng: np.random.Generator, cols: Columns) -> npt.NDArray[np.float64]:
    n = cols["niche"].shape[0]
    female = np.array([FEMALE[name] for name in INTERESTS])[cols["niche"]]
    female = np.clip(female + rng.normal(0.0, 0.08, n), 0.03, 0.97)
    other = rng.uniform(0.005, 0.03, n)
    return np.stack([female * (1 - other), (1 - female) * (1 - other), other], axis=1)


def interests(rng: np.random.Generator, cols: Columns) -> npt.NDArray[np.float64]:
    n, w = cols["niche"].shape[0], len(INTERESTS)
    index = {name: i for i, name in enumerate(INTERESTS)}
    related = _matrix({index[k]: [index[r] for r in v] for k, v in RELATED.items()}, w)
    out = rng.dirichlet(np.ones(w) * 0.5, n) * 0.15
    out = out + related[cols["niche"]] * rng.uniform(0.05, 0.12, (n, 1))
    out[np.arange(n), cols["niche"]] += rng.uniform(0.3, 0.5, n)
    has_second = cols["second"] >= 0
    out[np.flatnonzero(has_second), cols["second"][has_second]] += 0.15
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1.0)


def draw_audience(rng: np.random.Generator, cols: Columns) -> None:
    n = cols["niche"].shape[0]
    cols["aud_countries"] = countries(rng, cols)
    cols["aud_ages"] = ages(rng, cols)
    cols["aud_genders"] = genders(rng, cols)
    cols["aud_interests"] = interests(rng, cols)
    cols["has_audience"] = rng.random(n) >= 0.20
