import numpy as np
import pandas as pd
import pytest

from creatormatch.core import InvalidInput
from creatormatch.matching import FilterColumns, Filters, attribute_frame, selection_mask

N = 3_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """attribute_frame rows with mixed case, unknown values and unknown numbers."""
    rng = np.random.default_rng(11)
    followers = np.where(rng.random(N) < 0.1, np.nan, np.round(10 ** rng.uniform(2, 7, N)))
    raw = pd.DataFrame(
        {
            "platform": rng.choice(["Instagram", "tiktok", "YOUTUBE", None], N),
            "country": rng.choice(["us", "GB", "In", "br", "DE", "FR", None], N),
            "language": rng.choice(["en", "ES", "de", None], N),
            "followers": followers,
            "engagement_rate": np.where(rng.random(N) < 0.2, np.nan, rng.random(N) / 10),
        }
    )
    return attribute_frame([f"c{i}" for i in range(N)], raw)


def pandas_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """The filter written plainly over the frame's string columns: the reference."""
    keep = np.ones(len(frame), dtype=bool)
    for field, column, case in (
        ("platforms", "platform", str.lower), ("countries", "country", str.upper),
        ("languages", "language", str.lower), ("tiers", "tier", str),
    ):  # fmt: skip
        wanted = getattr(filters, field)
        if wanted:
            keep &= frame[column].isin([case(w) for w in wanted]).to_numpy(bool, na_value=False)
    followers, engagement = frame["followers"], frame["engagement_rate"]
    if filters.min_followers is not None:
        keep &= (followers >= filters.min_followers).to_numpy(bool)
    if filters.max_followers is not None:
        keep &= (followers <= filters.max_followers).to_numpy(bool)
    if filters.min_engagement is not None:
        keep &= (engagement >= filters.min_engagement).to_numpy(bool)
    return keep & ~frame["creator_id"].isin(filters.exclude).to_numpy(bool)


CASES = [
    Filters(),
    Filters(platforms=("TikTok",)),
    Filters(platforms=("instagram", "youtube"), languages=("EN",), min_followers=5_000),
    Filters(countries=("US", "gb", "in", "BR", "de", "nowhere")),  # past the comparison limit
    Filters(countries=("nowhere",)),
    Filters(tiers=("micro", "mega"), max_followers=2_000_000, min_engagement=0.03),
    Filters(exclude=("c1", "c2", "c2", "unknown"), min_followers=1),
]


@pytest.mark.parametrize("filters", CASES)
def test_filter_columns_keep_what_the_plain_pandas_filter_keeps(frame, filters):
    np.testing.assert_array_equal(selection_mask(frame, filters), pandas_mask(frame, filters))


def test_unknown_attributes_are_excluded_by_a_set_filter(frame):
    mask = selection_mask(frame, Filters(platforms=("instagram", "tiktok", "youtube")))
    assert not mask[frame["platform"].isna().to_numpy()].any()
    assert mask[frame["platform"].notna().to_numpy()].all()


def test_appended_and_removed_labels_filter_as_one_frame_would(frame):
    first, second = frame.iloc[:1_000], frame.iloc[1_000:].set_axis(range(1_200, 1_200 + N - 1_000))
    columns = FilterColumns.empty().appended(first).appended(second)
    removed = np.array([3, 1_500], dtype=np.int64)
    columns = columns.removed(removed)
    filters = Filters(platforms=("tiktok",), exclude=("c7",))
    mask = columns.mask(filters)
    assert len(mask) == 1_200 + N - 1_000 and not mask[1_000:1_200].any()  # unused labels
    expected = pandas_mask(frame, filters)
    expected[[3, 1_500 - 200]] = False
    np.testing.assert_array_equal(np.concatenate([mask[:1_000], mask[1_200:]]), expected)
    assert columns.labels(["c3", "c2", "c1600", "c2", "nobody"]).tolist() == [2, 1_800]
    assert columns.ids[1_800] == "c1600" and columns.ids[3] is None


def test_new_labels_must_come_after_the_last(frame):
    columns = FilterColumns.empty().appended(frame.iloc[:10])
    with pytest.raises(InvalidInput, match="expected new labels >= 10, got 5"):
        columns.appended(frame.iloc[5:15])
