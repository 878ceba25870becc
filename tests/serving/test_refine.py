"""More or fewer like this: marking creators moves the list toward or away from creators like
them; the ones marked "fewer" leave it; unknown creators are 404, no mark at all is 422."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.serving.conftest import error_of

# Fitness and food words together: the list holds both niches, the marks tip the balance.
BRIEF = {"brief": "hiit squats protein workout pasta recipe baking dinner", "k": 12}


def _niches(body: dict) -> list[str]:
    return [item["handle"].split("_")[0] for item in body["items"]]


def _refine(client: TestClient, **marks: list[str]) -> dict:
    response = client.post("/v1/shortlists/refine", json={"brief": BRIEF, **marks})
    assert response.status_code == 200, response.text
    return response.json()


def test_more_like_a_food_creator_lists_more_food_creators(client: TestClient) -> None:
    plain = client.post("/v1/shortlists", json=BRIEF).json()
    food = next(i["creator_id"] for i in plain["items"] if i["handle"].startswith("food_"))
    refined = _refine(client, more_like=[food])
    assert _niches(refined).count("food") > _niches(plain).count("food")
    assert refined["shortlist_id"]


def test_fewer_like_a_food_creator_lists_fewer_and_drops_that_one(client: TestClient) -> None:
    plain = client.post("/v1/shortlists", json=BRIEF).json()
    food = [i["creator_id"] for i in plain["items"] if i["handle"].startswith("food_")]
    refined = _refine(client, fewer_like=food[:3])
    assert _niches(refined).count("food") < _niches(plain).count("food")
    assert not {i["creator_id"] for i in refined["items"]} & set(food[:3])
    kept = client.get(f"/v1/shortlists/{refined['shortlist_id']}").json()
    assert set(food[:3]) <= set(kept["brief"]["exclude"])  # a saved copy leaves them out too


def test_marks_must_name_known_creators(client: TestClient) -> None:
    missing = client.post("/v1/shortlists/refine", json={"brief": BRIEF, "more_like": ["c999"]})
    assert "c999" in error_of(missing, 404, "NotFound")["message"]
    none = client.post("/v1/shortlists/refine", json={"brief": BRIEF})
    assert "at least one creator" in error_of(none, 422, "InvalidInput")["message"]
