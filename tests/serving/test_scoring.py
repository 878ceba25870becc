"""Fraud and account scoring with small trained models; 503 without them."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from tests.conftest import niche_records
from tests.serving.conftest import (
    bearer,
    copy_home,
    error_of,
    make_keys,
    open_client,
    train_small_models,
)


@pytest.fixture(scope="module")
def trained_home(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = copy_home(hashing_home, tmp_path_factory.mktemp("trained") / "home")
    train_small_models(home)
    return home


@pytest.fixture(scope="module")
def trained(trained_home: Home) -> Iterator[TestClient]:
    keys = make_keys(trained_home)
    with open_client(trained_home) as client:
        client.headers.update(bearer(keys.acme))
        yield client


CREATOR = niche_records(3, seed=5)[2].model_dump(mode="json", exclude_none=True)


def test_fraud_score_gives_probability_band_reasons_and_evidence(trained: TestClient) -> None:
    response = trained.post("/v1/fraud/score", json={"creators": [CREATOR]})
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["creator_id"] == CREATOR["creator_id"]
    assert 0.0 <= result["probability"] <= 1.0 and result["band"]
    assert isinstance(result["reasons"], list) and isinstance(result["evidence"], dict)


def test_a_stored_creator_reads_back_with_its_fraud_report(trained: TestClient) -> None:
    body = trained.get("/v1/creators/c003").json()
    assert 0.0 <= body["fraud"]["probability"] <= 1.0
    assert set(body["fraud"]) == {"probability", "band", "reasons", "evidence"}
    assert body["features"]["audience_fake_share"] is None  # no follower sample: unknown, not 0


def test_account_score_scores_each_account(trained: TestClient) -> None:
    accounts = [
        {"username": "anna", "followers": 300, "following": 200, "posts": 80},
        {"username": "bot123456", "followers": 2, "following": 4_000, "posts": 0},
    ]
    response = trained.post("/v1/accounts/score", json={"accounts": accounts})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["username"] for r in results] == ["anna", "bot123456"]
    assert all(0.0 <= r["fake_probability"] <= 1.0 and r["error"] is None for r in results)
    assert response.json()["fields_used"] == ["username", "followers", "following", "posts"]


def test_a_follower_sample_is_scored_as_one_request_and_says_which_fields_it_gave(
    trained: TestClient,
) -> None:
    sample = [
        {"username": f"user{i}", "followers": 100 + i, "following": 200, "is_private": i % 2 == 0}
        for i in range(500)
    ]
    sample[7] = {"username": "no_counts", "has_profile_pic": False}
    response = trained.post("/v1/accounts/score", json={"accounts": sample})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 500 and body["results"][7]["username"] == "no_counts"
    assert all(r["fake_probability"] is not None for r in body["results"])
    # In the model's order; `posts`, which no account gave, is not among them.
    assert body["fields_used"] == [
        "username",
        "followers",
        "following",
        "has_profile_pic",
        "is_private",
    ]


def test_more_than_10000_accounts_is_422(trained: TestClient) -> None:
    response = trained.post("/v1/accounts/score", json={"accounts": [{}] * 10_001})
    assert error_of(response, 422, "InvalidInput")["fields"] == ["accounts"]


def test_more_than_1000_creators_to_score_is_422(trained: TestClient) -> None:
    batch = [{"creator_id": f"x{i}"} for i in range(1_001)]
    response = trained.post("/v1/fraud/score", json={"creators": batch})
    assert error_of(response, 422, "InvalidInput")["fields"] == ["creators"]


def test_models_lists_every_served_artifact_with_metrics(trained: TestClient) -> None:
    artifacts = {a["name"]: a for a in trained.get("/v1/models").json()["artifacts"]}
    assert set(artifacts) == {"account", "fraud", "index"}
    assert artifacts["fraud"]["data_hash"] == "d" * 64
    assert "train_creators" in artifacts["fraud"]["metrics"]


def test_scoring_without_models_is_503(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/v1/fraud/score", json={"creators": [CREATOR]})
    assert "no fraud model" in error_of(response, 503, "NotReady")["message"]
    response = client.post("/v1/accounts/score", json={"accounts": [{"followers": 3}]})
    assert "no account model" in error_of(response, 503, "NotReady")["message"]
