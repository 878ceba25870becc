import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from tests.serving.conftest import Keys, bearer, error_of, make_keys, open_client


def test_ready_after_artifacts_load_and_the_canary_passes(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok", "detail": None}
    ready = client.get("/health/ready").json()
    assert ready == {"status": "ok", "detail": None, "reload_error": None}


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
    assert len(body["shortlist_id"]) == 32


def test_a_saved_shortlist_comes_back_with_its_brief(client: TestClient) -> None:
    made = client.post("/v1/shortlists", json={"brief": "beach hotel", "k": 3}).json()
    saved = client.get(f"/v1/shortlists/{made['shortlist_id']}")
    assert saved.status_code == 200
    body = saved.json()
    assert body["brief"]["text"] == "beach hotel" and body["brief"]["k"] == 3
    assert [i["creator_id"] for i in body["result"]["items"]] == [
        i["creator_id"] for i in made["items"]
    ]


def test_filters_of_the_brief_are_hard(client: TestClient) -> None:
    body = client.post(
        "/v1/shortlists", json={"brief": "pasta recipes", "k": 50, "platforms": ["tiktok"]}
    ).json()
    assert body["items"] and {item["platform"] for item in body["items"]} == {"tiktok"}


def test_lookalikes_of_a_creator_share_its_niche_and_exclude_it(client: TestClient) -> None:
    response = client.post("/v1/creators/similar", json={"creator_id": "c001", "k": 5})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 5 and "c001" not in {i["creator_id"] for i in items}
    assert all(i["handle"].startswith("food_") for i in items)


def test_lookalikes_of_an_unknown_creator_are_404(client: TestClient) -> None:
    response = client.post("/v1/creators/similar", json={"creator_id": "nobody"})
    assert "nobody" in error_of(response, 404, "NotFound")["message"]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/v1/shortlists", {"k": 5}, "brief"),
        ("/v1/shortlists", {"brief": "x", "k": 0}, "k"),
        ("/v1/shortlists", {"brief": "x", "k": 10_000}, "k"),
        ("/v1/shortlists", {"brief": "x", "colour": "red"}, "colour"),
        ("/v1/shortlists", {"brief": "", "k": 3}, "brief"),
        ("/v1/shortlists", {"brief": "x" * 4_001}, "brief"),
        ("/v1/creators/similar", {"creator_id": "c001", "k": 201}, "k"),
        ("/v1/creators/similar", {"creator_id": "c" * 201}, "creator_id"),
        ("/v1/outcomes", {"outcomes": []}, "outcomes"),
        ("/v1/accounts/score", {"accounts": [{"followers": -1}]}, "accounts.0.followers"),
    ],
)
def test_bad_requests_get_422_naming_the_field(
    client: TestClient, path: str, payload: dict, field: str
) -> None:
    error = error_of(client.post(path, json=payload), 422, "InvalidInput")
    assert field in error["fields"]


def test_a_body_that_is_not_json_is_422_not_500(client: TestClient) -> None:
    response = client.post(
        "/v1/shortlists", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    error_of(response, 422, "InvalidInput")


def test_an_unknown_route_is_404_in_the_same_shape(client: TestClient) -> None:
    error_of(client.get("/v1/nothing-here"), 404, "HTTPError")


def test_a_home_without_artifacts_is_live_but_not_ready(anyhome: Home) -> None:
    keys = make_keys(anyhome)
    with open_client(anyhome) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503 and "ingest" in ready.json()["detail"]
        response = client.post(
            "/v1/shortlists", json={"brief": "anything"}, headers=bearer(keys.acme)
        )
        assert "not ready" in error_of(response, 503, "NotReady")["message"]


def test_models_lists_the_index_with_its_data_hash_and_version(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    (index,) = [a for a in body["artifacts"] if a["name"] == "index"]
    assert len(index["data_hash"]) == 64 and len(index["version"]) == 12
    assert index["count"] == 90 and index["embedding_model"].startswith("hashing")
    assert body["reload_error"] is None


def test_interactive_docs_are_off_unless_configured(home: Home, keys: Keys) -> None:
    with open_client(home) as client:
        error_of(client.get("/docs"), 404, "HTTPError")
        assert client.get("/openapi.json").status_code == 200
    with open_client(home, docs_enabled=True) as client:
        assert client.get("/docs").status_code == 200


def test_a_body_that_is_not_utf8_is_422_naming_the_body(client: TestClient) -> None:
    response = client.post(
        "/v1/shortlists", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    assert error_of(response, 422, "InvalidInput")["fields"] == ["body"]


def test_outcomes_of_creators_the_catalog_lacks_are_refused_whole(client: TestClient) -> None:
    outcome = {"campaign_id": "spring", "brand_id": "b1", "impressions": 1_000, "conversions": 3}
    known, stranger = outcome | {"creator_id": "c001"}, outcome | {"creator_id": "nobody"}
    error = error_of(client.post("/v1/outcomes", json={"outcomes": [known, stranger]}), 422,
                     "InvalidInput")  # fmt: skip
    assert "1 unknown creator id(s) (nobody)" in error["message"]
    # Nothing of the request was stored, the known creator's outcome included.
    assert client.get("/v1/outcomes/spring").status_code == 404
    assert client.post("/v1/outcomes", json={"outcomes": [known]}).json() == {"stored": 1}
