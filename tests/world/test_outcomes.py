import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from creatormatch.features import Brief
from creatormatch.world import World, audience_fit


def _frame(world: World) -> pd.DataFrame:
    frame = pd.DataFrame(world.outcomes)
    frame["row"] = frame["creator_id"].str[1:].astype(int) - 1
    fits = []
    for outcome in world.outcomes:
        row = np.array([int(outcome["creator_id"][1:]) - 1])
        fits.append(
            float(audience_fit(world.columns, Brief.model_validate(outcome["brief"]), row)[0])
        )
    frame["fit"] = fits
    return frame


def test_conversions_per_impression_rise_with_audience_fit(small_world: World) -> None:
    frame = _frame(small_world)
    frame = frame[frame["impressions"] > 0]
    rho = spearmanr(frame["fit"], frame["conversions"] / frame["impressions"]).statistic
    assert rho > 0.2


def test_fake_followers_bring_impressions_but_not_conversions(small_world: World) -> None:
    frame = _frame(small_world)
    fake = small_world.columns["fake_share"][frame["row"]]
    rate = frame["conversions"].sum() / frame["impressions"].sum()
    heavy = fake > 0.3
    assert heavy.any()
    heavy_rate = frame.loc[heavy, "conversions"].sum() / frame.loc[heavy, "impressions"].sum()
    assert heavy_rate < rate


def test_campaigns_mix_chosen_and_random_creators(small_world: World) -> None:
    frame = _frame(small_world)
    per_campaign = frame.groupby("campaign_id")["fit"].agg(["min", "max"])
    assert (per_campaign["max"] - per_campaign["min"]).median() > 0.2
