from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from creatormatch.settings import Home, Settings
from serving import create_app


@pytest.fixture()
def client(hashing_home: Home) -> Iterator[TestClient]:
    settings = Settings(home=hashing_home.root, embedder="hashing")
    with TestClient(create_app(settings)) as client:
        yield client


def test_ready_after_artifacts_load_and_the_canary_passes(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok", "detail": None}
    assert client.get("/health/ready").status_code == 200


def test_shortlist_ranks_the_niche_of_the_brief_first_with_scores_descending(
    client: TestClient,
) -> None:
    response = client.post("/v1/shortlists", json={"brief": "hiit squats protein workout", "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 5
    assert all(item["handle"].startswith("fitness_") for item in body["items"])
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert any("no conversion model" in note for note in body["degraded"])
    first = body["items"][0]
    assert {"creator_id", "handle", "score", "fraud_probability", "reasons"} <= set(first)


def test_filters_of_the_brief_are_hard(client: TestClient) -> None:
    body = client.post(
        "/v1/shortlists", json={"brief": "pasta recipes", "k": 50, "platforms": ["tiktok"]}
    ).json()
    assert body["items"] and {item["platform"] for item in body["items"]} == {"tiktok"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"k": 5}, "brief"),
        ({"brief": "x", "k": 0}, "k"),
        ({"brief": "x", "k": 10_000}, "k"),
        ({"brief": "x", "colour": "red"}, "colour"),
        ({"brief": "", "k": 3}, "brief"),
    ],
)
def test_bad_requests_get_422_naming_the_field(
    client: TestClient, payload: dict, field: str
) -> None:
    response = client.post("/v1/shortlists", json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "InvalidInput" and field in error["fields"]


def test_a_home_without_artifacts_is_live_but_not_ready(anyhome: Home) -> None:
    with TestClient(create_app(Settings(home=anyhome.root, embedder="hashing"))) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503 and "ingest" in ready.json()["detail"]
        response = client.post("/v1/shortlists", json={"brief": "anything"})
        assert response.status_code == 503
        assert response.json()["error"]["type"] == "NotReady"
