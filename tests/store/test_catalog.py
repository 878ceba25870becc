import math
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.core import ArtifactError, InvalidInput, Overloaded
from creatormatch.features import CampaignOutcome, CreatorRecord
from creatormatch.store import Catalog, StoredCreator, catalog_problems, writer_lease


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


def test_readable_records_are_the_records_without_series_comments_and_samples(
    tmp_path: Path,
) -> None:
    rich = CreatorRecord.model_validate({
        "creator_id": "rich", "handle": "@rich", "bio": "Trail runner 🏔", "followers": 40_000,
        "audience": {"countries": {"US": 0.7}, "ages": {"25-34": 0.5}},
        "posts": [
            {"post_id": "p2", "caption": "Ultra day #trail #Run", "hashtags": ["mountains"],
             "likes": 900, "posted_at": "2026-05-02T07:00:00Z"},
            {"post_id": "p1", "caption": None, "likes": 10},
        ],
        "comments": [{"post_id": "p2", "commenter": "fan", "text": "wow"}],
        "follower_series": [{"day": "2026-05-01", "followers": 39_000}],
        "follower_sample": [{"followers": 10, "following": 900, "posts": 0}],
    })  # fmt: skip
    bare = CreatorRecord(creator_id="bare")
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators(
        [StoredCreator(r, f"r-{r.creator_id}", "c", {}, None) for r in (rich, bare)]
    )
    heavy = {"comments": None, "follower_series": None, "follower_sample": None}
    assert catalog.readable(["bare", "gone", "rich"]) == [bare, rich.model_copy(update=heavy)]


def test_a_catalog_from_before_indexed_terms_gains_them_read_from_the_posts(
    tmp_path: Path,
) -> None:
    record = CreatorRecord.model_validate({
        "creator_id": "run", "handle": "@run", "bio": "Trail running coach", "followers": 9_000,
        "posts": [{"post_id": "p1", "caption": "Trail running at dawn #TrailRunning"}],
        "comments": [{"post_id": "p1", "commenter": "fan", "text": "wow"}],
    })  # fmt: skip
    path = tmp_path / "catalog.db"
    catalog = Catalog(path)
    catalog.upsert_creators([StoredCreator(record, "r", "c", {}, None)])
    ((profile, terms),) = catalog.quotable(["gone", "run"])
    assert profile == record.model_copy(update={"posts": [], "comments": None})
    assert terms.positions.keys() == {"trail", "run", "coach", "dawn"}
    catalog.close()
    with sqlite3.connect(path) as older:  # the catalog as the last release wrote it
        older.execute("ALTER TABLE creators DROP COLUMN terms")
    reopened = Catalog(path)
    assert [(p, t.to_json()) for p, t in reopened.quotable(["run"])] == [(profile, terms.to_json())]
    reopened.upsert_creators([StoredCreator(record, "r2", "c", {}, None)])
    reopened.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT terms FROM creators").fetchall() == [(terms.to_json(),)]


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


def _catalog_file(tmp_path: Path, n: int = 200) -> Path:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored(f"c{i:04d}", float(i)) for i in range(n)])
    catalog.close()
    return tmp_path / "catalog.db"


def test_a_zero_byte_catalog_is_refused_naming_the_file_and_never_recreated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "catalog.db"
    path.touch()
    with pytest.raises(ArtifactError, match=r"catalog\.db is damaged .*empty file.*backup"):
        Catalog(path)
    assert path.stat().st_size == 0  # left as it is: not silently re-created empty


def test_a_truncated_catalog_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = _catalog_file(tmp_path)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    with pytest.raises(ArtifactError, match=r"is damaged \(PRAGMA quick_check: .*ingest FILE"):
        Catalog(path)


def test_a_catalog_with_flipped_pages_is_refused_by_its_quick_check(tmp_path: Path) -> None:
    path = _catalog_file(tmp_path)
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 3 // 4096 * 4096)
        page = handle.read(4096)
        handle.seek(-4096, 1)
        handle.write(bytes(b ^ 0xFF for b in page))
    assert catalog_problems(path, full=True)
    with pytest.raises(ArtifactError, match=r"catalog\.db is damaged"):
        Catalog(path)


def test_an_infinite_feature_is_refused_before_it_reaches_sqlite_json(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0)])
    with pytest.raises(InvalidInput, match=r"feature 'followers' of creator 'b' is inf"):
        catalog.upsert_creators([_stored("b", math.inf)])
    with pytest.raises(InvalidInput, match=r"feature 'followers' of creator 'a' is -inf"):
        catalog.update_features(pd.DataFrame({"followers": [-math.inf]}, index=["a"]))
    assert catalog.creator_ids() == ["a"] and not catalog.malformed_ids()
    assert catalog.attributes().loc["a", "followers"] == 1.0  # json_extract still reads every row


def test_every_change_to_the_creators_moves_the_generation_and_a_score_does_not(
    tmp_path: Path,
) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    seen = [catalog.generation()]
    catalog.upsert_creators([_stored("a", 1.0), _stored("b", 2.0)])
    seen.append(catalog.generation())
    changed = _stored("a", 5.0)
    catalog.upsert_creators([StoredCreator(changed.record, "r-a2", "c-a", {"x": 1.0}, None)])
    seen.append(catalog.generation())
    catalog.update_features(pd.DataFrame({"audience_fake_share": [0.1]}, index=["a"]))
    catalog.store_fraud_scores([("a", 0.1, "low", "{}")])
    seen.append(catalog.generation())
    catalog.delete_creators(["b"])
    seen.append(catalog.generation())
    assert seen == [0, 2, 3, 3, 4]
    assert catalog.quality_scored_ids() == {"a"} and catalog.fraud_scored_ids() == {"a"}


def test_a_new_record_drops_the_fraud_report_computed_from_the_old_one(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0), _stored("b", 1.0)])
    catalog.store_fraud_scores([("a", 0.1, "low", "{}"), ("b", 0.1, "low", "{}")])
    changed = _stored("a", 2.0)
    catalog.upsert_creators([StoredCreator(changed.record, "r-a2", "c-a", {"x": 1.0}, None)])
    assert catalog.fraud_scored_ids() == {"b"}


def test_scores_computed_from_a_record_replaced_meanwhile_are_dropped(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0), _stored("b", 2.0)])
    read = {"a": "r-a", "b": "an older record of b"}  # b was replaced after it was read
    catalog.update_features(
        pd.DataFrame({"audience_fake_share": [0.1, 0.2]}, index=["a", "b"]), hashes=read
    )
    catalog.store_fraud_scores([("a", 0.1, "low", "{}"), ("b", 0.2, "low", "{}")], hashes=read)
    assert catalog.quality_scored_ids() == {"a"} and catalog.fraud_scored_ids() == {"a"}
    assert catalog.features(["b"]).loc["b", "followers"] == 2.0  # the rest of b untouched


def test_a_fraud_report_for_a_creator_deleted_meanwhile_is_not_stored(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.upsert_creators([_stored("a", 1.0)])
    catalog.store_fraud_scores([("a", 0.1, "low", "{}"), ("gone", 0.9, "high", "{}")])
    assert catalog.fraud_scored_ids() == {"a"}


def test_the_writer_lease_admits_one_writer_and_is_reentrant(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with catalog.lease(), catalog.lease():  # re-entrant in its own thread
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        with (
            pytest.raises(Overloaded, match=r"catalog\.db\.lock for over 0 s"),
            writer_lease(catalog.path, wait_s=0.1),
        ):
            pass
    finally:
        release.set()
        holder.join()
    with writer_lease(catalog.path, wait_s=1):  # free again once its holder left
        catalog.upsert_creators([_stored("a", 1.0)])
