import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from creatormatch.features.records import CampaignOutcome, CreatorRecord
from creatormatch.store import Catalog, StoredCreator


def _stored(cid: str, followers: float, audience: np.ndarray | None = None) -> StoredCreator:
    record = CreatorRecord(creator_id=cid, handle=f"@{cid}", platform="tiktok", followers=3)
    return StoredCreator(record, f"r-{cid}", f"c-{cid}", {"followers": followers}, audience)


def test_creators_round_trip_with_nan_features_and_optional_audience(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 3.0, np.ones(4, np.float32)), _stored("b", math.nan)])
    frame = catalog.features(["b", "a"])
    assert list(frame.index) == ["b", "a"]
    assert math.isnan(frame.loc["b", "followers"]) and frame.loc["a", "followers"] == 3.0
    assert set(catalog.audience_vectors(["a", "b"])) == {"a"}
    assert catalog.stored_hashes(["a", "zz"]) == {"a": "r-a"}
    assert catalog.attributes().loc["a", "platform"] == "tiktok"


def test_catalog_survives_reopening_and_deletes(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0), _stored("b", 2.0)])
    catalog.close()
    reopened = Catalog(tmp_path / "catalog.db")
    assert reopened.count() == 2
    assert reopened.delete_creators(["a"]) == 1
    assert reopened.creator_ids() == ["b"]


def test_failed_batch_leaves_previous_data_untouched(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0)])
    before = catalog.data_hash()
    unserialisable: dict = {"x": object()}
    bad = StoredCreator(CreatorRecord(creator_id="b"), "r", "c", unserialisable, None)
    with pytest.raises(TypeError, match="not JSON serializable"):
        catalog.upsert_creators([_stored("c", 1.0), bad])
    assert catalog.data_hash() == before and catalog.creator_ids() == ["a"]


def test_embedding_cache_returns_exactly_what_was_stored(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    vectors = np.random.default_rng(0).normal(size=(2, 8)).astype(np.float32)
    catalog.cache_vectors(["h1", "h2"], vectors)
    found = catalog.cached_vectors(["h2", "h3"])
    assert set(found) == {"h2"} and np.array_equal(found["h2"], vectors[1])


def _outcome(campaign: str, conversions: int) -> CampaignOutcome:
    return CampaignOutcome(
        campaign_id=campaign, brand_id="b1", creator_id="a", impressions=100,
        conversions=conversions,
    )  # fmt: skip


def test_two_tenants_with_the_same_campaign_id_keep_their_own_outcomes(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_outcomes([_outcome("k1", 1)])
    catalog.upsert_outcomes([_outcome("k1", 2)], owner="acme")
    catalog.upsert_outcomes([_outcome("k1", 3)], owner="zeta")
    catalog.upsert_outcomes([_outcome("k1", 4)], owner="acme")  # acme corrects its own result
    got = {(o.campaign_id, o.brand_id): o.conversions for o in catalog.outcomes()}
    assert got == {("k1", "b1"): 1, ("acme/k1", "acme/b1"): 4, ("zeta/k1", "zeta/b1"): 3}


def test_outcomes_of_an_older_catalog_move_to_the_local_owner(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE outcomes (campaign_id TEXT NOT NULL, creator_id TEXT NOT NULL, "
        "outcome TEXT NOT NULL, PRIMARY KEY (campaign_id, creator_id))"
    )
    old.execute(
        "INSERT INTO outcomes VALUES ('k1', 'a', ?)", (_outcome("k1", 7).model_dump_json(),)
    )
    old.commit()
    old.close()
    catalog = Catalog(path)
    assert [(o.campaign_id, o.conversions) for o in catalog.outcomes()] == [("k1", 7)]
    catalog.close()
    assert [(o.campaign_id, o.conversions) for o in Catalog(path).outcomes()] == [("k1", 7)]
