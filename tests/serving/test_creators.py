"""The creator resource: upsert is durable before the answer, read shows features, delete."""

from fastapi.testclient import TestClient

from creatormatch.core import Home
from creatormatch.matching import CreatorIndex
from creatormatch.store import Catalog
from tests.serving.conftest import Keys, bearer, error_of, open_client

NEW = {
    "creator_id": "n001",
    "handle": "knitting_nora",
    "platform": "youtube",
    "followers": 42_000,
    "posts": [{"post_id": "k1", "caption": "knitting yarn crochet wool scarf pattern"}],
    "audience": {"interests": {"crafts": 0.9}},
}


def test_an_upserted_creator_is_stored_indexed_and_on_disk_before_the_answer(
    client: TestClient, home: Home
) -> None:
    response = client.put("/v1/creators", json={"creators": [NEW]})
    assert response.status_code == 200
    assert response.json() == {"stored": ["n001"], "unchanged": 0, "embedded": 1, "index_size": 91}
    published = CreatorIndex.load(home.index_dir)  # what a restart would load
    assert "n001" in set(published.items_["creator_id"])
    catalog = Catalog(home.catalog)
    assert catalog.stored_hashes(["n001"])
    catalog.close()
    hits = client.post("/v1/shortlists", json={"brief": "knitting yarn crochet", "k": 1}).json()
    assert hits["items"][0]["creator_id"] == "n001"


def test_upserting_the_same_record_again_changes_nothing(client: TestClient) -> None:
    client.put("/v1/creators", json={"creators": [NEW]})
    again = client.put("/v1/creators", json={"creators": [NEW]}).json()
    assert again == {"stored": [], "unchanged": 1, "embedded": 0, "index_size": 91}


def test_an_upsert_survives_a_restart(home: Home, keys: Keys) -> None:
    with open_client(home) as client:
        client.put("/v1/creators", json={"creators": [NEW]}, headers=bearer(keys.acme))
    with open_client(home) as client:
        response = client.get("/v1/creators/n001", headers=bearer(keys.acme))
        assert (
            response.status_code == 200 and response.json()["creator"]["handle"] == "knitting_nora"
        )


def test_a_creator_reads_back_with_its_features_and_no_fraud_report_without_a_model(
    client: TestClient,
) -> None:
    body = client.get("/v1/creators/c004").json()
    assert body["creator"]["creator_id"] == "c004"
    assert body["creator"]["posts"] == []  # the profile: posts and samples left out
    assert body["features"]["followers"] > 0
    assert body["fraud"] is None


def test_a_deleted_creator_is_gone_from_catalog_index_and_shortlists(
    client: TestClient, home: Home
) -> None:
    response = client.delete("/v1/creators/c000")
    assert response.json() == {"deleted": "c000", "index_size": 89}
    error_of(client.get("/v1/creators/c000"), 404, "NotFound")
    assert "c000" not in set(CreatorIndex.load(home.index_dir).items_["creator_id"])
    items = client.post("/v1/shortlists", json={"brief": "hiit squats", "k": 50}).json()["items"]
    assert "c000" not in {i["creator_id"] for i in items}
    error_of(client.delete("/v1/creators/c000"), 404, "NotFound")


def test_an_upsert_of_more_than_1000_creators_is_422(client: TestClient) -> None:
    batch = [{"creator_id": f"x{i}"} for i in range(1_001)]
    error = error_of(client.put("/v1/creators", json={"creators": batch}), 422, "InvalidInput")
    assert error["fields"] == ["creators"]


def test_an_invalid_record_is_422_naming_its_field(client: TestClient) -> None:
    bad = {**NEW, "followers": -5}
    error = error_of(client.put("/v1/creators", json={"creators": [bad]}), 422, "InvalidInput")
    assert error["fields"] == ["creators.0.followers"]
