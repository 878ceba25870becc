"""Brands with ICP briefs, and campaign outcomes from a documented latent model.

conversions ~ Poisson(impressions * BASE_RATE * Q * A * (0.1 + 0.9 C) * T * noise), where
A = audience fit with the ICP, C = content/niche fit (times language fit), Q = 1 - fake follower
share (fake followers see the post but never buy), T = tier factor. See docs/world.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from creatormatch.features import AGE_BUCKETS, COUNTRIES, INTERESTS, Brief
from creatormatch.world import text
from creatormatch.world.creators import NICHE_WEIGHT, Columns
from creatormatch.world.languages import COUNTRY_NAME, COUNTRY_WEIGHT, LANGUAGE, NEIGHBOURS
from creatormatch.world.lexicon import LEXICON, RELATED
from creatormatch.world.params import TODAY
from creatormatch.world.text import name

BASE_RATE = 0.002  # conversions per impression at perfect fit
CTR = 0.012
REACH_BY_TIER = np.array([0.25, 0.18, 0.12, 0.08])  # impressions per follower of a sponsored post
TIER_FACTOR = np.array([1.3, 1.1, 0.9, 0.7])
Float = npt.NDArray[np.float64]


def draw_brief(rng: np.random.Generator, brand: int) -> tuple[Brief, int]:
    niche = int(rng.choice(len(INTERESTS), p=NICHE_WEIGHT / NICHE_WEIGHT.sum()))
    words = LEXICON[INTERESTS[niche]]
    weights = np.array([COUNTRY_WEIGHT[c] for c in COUNTRIES])
    home = COUNTRIES[int(rng.choice(len(COUNTRIES), p=weights / weights.sum()))]
    extra = [c for c in NEIGHBOURS[home].split("|") if c in COUNTRIES][: int(rng.integers(0, 3))]
    shares = rng.dirichlet(np.ones(1 + len(extra)) * 3) if extra else np.ones(1)
    countries = dict(zip([home, *extra], np.round(np.sort(shares)[::-1], 2).tolist(), strict=True))
    start = int(rng.integers(1, 4))
    product = words["products"][int(rng.integers(len(words["products"])))]
    customer = words["customers"][int(rng.integers(len(words["customers"])))]
    female = {"beauty", "fashion", "family"}
    genders = ["female"] if INTERESTS[niche] in female and rng.random() < 0.7 else []
    brand_name = name(int(rng.integers(0, 2**62)), 2).capitalize()
    where = " and ".join(COUNTRY_NAME[c] for c in countries)
    text = (
        f"{brand_name}: {product}. We want to reach {customer} in {where}. "
        f"We are looking for creators who {words['content'][int(rng.integers(2))]}"
        f"{', and who speak to their audience honestly' if rng.random() < 0.5 else ''}."
    )
    brief = Brief.model_validate({
        "text": text,
        "countries": countries,
        "ages": list(AGE_BUCKETS[start : start + 2]),
        "genders": genders,
        "interests": [INTERESTS[niche], *RELATED[INTERESTS[niche]][:1]],
        "languages": sorted({LANGUAGE[c] for c in countries} | {"en"}),
        "budget": float(np.round(rng.lognormal(np.log(20_000), 0.8), -2) + 1_000),
        "k": 20,
    })  # fmt: skip
    return brief, niche


def audience_fit(cols: Columns, brief: Brief, rows: npt.NDArray[np.int64]) -> Float:
    """Geometric mean of country, age, gender and interest coverage of the ICP, in [0, 1]."""
    index = {c: i for i, c in enumerate(COUNTRIES)}
    total = sum(brief.countries.values()) or 1.0
    country = sum(
        w / total * cols["aud_countries"][rows, index[c]] for c, w in brief.countries.items()
    )
    ages = cols["aud_ages"][rows][:, [AGE_BUCKETS.index(a) for a in brief.ages]].sum(axis=1)
    genders = cols["aud_genders"][rows][
        :, [("female", "male", "other").index(g) for g in brief.genders]
    ]
    gender = genders.sum(axis=1) if brief.genders else np.ones(len(rows))
    topics = [INTERESTS.index(i) for i in brief.interests]
    interest = np.minimum(cols["aud_interests"][rows][:, topics].sum(axis=1) * 2, 1.0)
    return (np.asarray(country) * ages * gender * interest) ** 0.25


def content_fit(cols: Columns, brief: Brief, niche: int, rows: npt.NDArray[np.int64]) -> Float:
    related = {INTERESTS.index(r) for r in RELATED[INTERESTS[niche]]}
    own, second = cols["niche"][rows], cols["second"][rows]
    fit = np.select(
        [own == niche, second == niche, np.isin(own, list(related))], [1.0, 0.6, 0.3], 0.05
    )
    speaks = np.array([LANGUAGE[c] in brief.languages for c in COUNTRIES])  # (countries,)
    return fit * np.where(speaks[cols["country"][rows]], 1.0, 0.5)


def choose(
    rng: np.random.Generator, cols: Columns, score: Float, size: int
) -> npt.NDArray[np.int64]:
    """Half picked at random, half the best of a random pool by a noisy brand judgement."""
    n = score.shape[0]
    pool = rng.choice(n, min(n, 3_000), replace=False)
    noisy = score[pool] + rng.normal(0.0, 0.5, len(pool))
    picked = pool[np.argsort(-noisy)[: size - size // 2]]
    others = rng.choice(n, size, replace=False)
    return np.concatenate([picked, others[~np.isin(others, picked)][: size // 2]])


def outcomes_for(
    rng: np.random.Generator, cols: Columns, brief: Brief, niche: int, brand: str
) -> list[dict[str, Any]]:
    n = cols["niche"].shape[0]
    targeted = np.array([c in brief.countries for c in COUNTRIES])  # (countries,)
    visible = (
        np.log(content_fit(cols, brief, niche, np.arange(n))) + 0.5 * targeted[cols["country"]]
    )
    out: list[dict[str, Any]] = []
    for k in range(int(rng.integers(2, 5))):
        rows = choose(rng, cols, visible, int(rng.integers(10, 41)))
        out += _campaign(rng, cols, brief, niche, rows, f"{brand}-k{k + 1}")
    return out


def fit_of(cols: Columns, brief: Brief, niche: int, rows: npt.NDArray[np.int64]) -> Float:
    """How well each creator's audience and content answer the brief, in [0, 1]."""
    return audience_fit(cols, brief, rows) * (0.1 + 0.9 * content_fit(cols, brief, niche, rows))


def latent_rate(cols: Columns, brief: Brief, niche: int, rows: npt.NDArray[np.int64]) -> Float:
    """Conversions per impression before noise: BASE_RATE * Q * fit * T."""
    quality = 1.0 - cols["fake_share"][rows]
    return BASE_RATE * quality * fit_of(cols, brief, niche, rows) * TIER_FACTOR[cols["tier"][rows]]


def typical_impressions(cols: Columns, rows: npt.NDArray[np.int64]) -> Float:
    """Impressions of a sponsored post before noise."""
    return cols["followers"][rows] * REACH_BY_TIER[cols["tier"][rows]]


def expected_conversions(
    cols: Columns, brief: Brief, niche: int, rows: npt.NDArray[np.int64]
) -> Float:
    """The ground truth an evaluation scores against: the mean of `_campaign`'s conversions.

    E[lognormal(0, s)] = exp(s²/2) for the two noise factors, 0.5 on reach and 0.3 on rate.
    """
    noise = np.exp(0.5**2 / 2 + 0.3**2 / 2)
    return typical_impressions(cols, rows) * latent_rate(cols, brief, niche, rows) * noise


def _campaign(rng: np.random.Generator, cols: Columns, brief: Brief, niche: int,
              rows: npt.NDArray[np.int64], campaign: str) -> list[dict[str, Any]]:  # fmt: skip
    fit = fit_of(cols, brief, niche, rows)
    quality = 1.0 - cols["fake_share"][rows]
    impressions = rng.poisson(typical_impressions(cols, rows) * rng.lognormal(0, 0.5, len(rows)))
    rate = latent_rate(cols, brief, niche, rows) * rng.lognormal(0, 0.3, len(rows))
    conversions = rng.poisson(impressions * rate)
    clicks = np.maximum(rng.poisson(impressions * CTR * quality * (0.3 + 0.7 * fit)), conversions)
    spend = np.round(cols["price"][rows] * rng.lognormal(0, 0.15, len(rows)), 2)
    code = text.name(int(rng.integers(0, 2**62)), 2).upper()
    day = rng.integers(0, 365)
    posted = datetime(TODAY.year, TODAY.month, TODAY.day, 12) - timedelta(days=int(day))
    return [
        {"campaign_id": campaign, "brand_id": campaign.split("-")[0], "creator_id": f"c{r + 1:07d}",
         "posted_at": (posted + timedelta(hours=int(h))).isoformat(), "impressions": int(i),
         "clicks": int(c), "conversions": int(v), "spend": float(s),
         "promo_code": f"{code}{r % 10_000:04d}"}
        for r, i, c, v, s, h in zip(rows, impressions, clicks, conversions, spend,
                                    rng.integers(0, 72, len(rows)), strict=True)
    ]  # fmt: skip


def draw_campaigns(
    rng: np.random.Generator, cols: Columns, n_brands: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    briefs, outcomes = [], []
    for b in range(n_brands):
        brand = f"b{b + 1:04d}"
        brief, niche = draw_brief(rng, b)
        briefs.append({
            "brand_id": brand,
            "niche": INTERESTS[niche],
            "brief": brief.model_dump(mode="json", exclude_defaults=True),
        })  # fmt: skip
        for row in outcomes_for(rng, cols, brief, niche, brand):
            outcomes.append({**row, "brief": briefs[-1]["brief"]})
    return briefs, outcomes
