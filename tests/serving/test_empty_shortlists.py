"""Briefs no creator can answer get an empty shortlist with a note saying why, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from tests.serving.conftest import (
    bearer,
    copy_home,
    error_of,
    make_keys,
    open_client,
    train_small_models,
)
from tests.value_models import train_value_models


@pytest.fixture(scope="module")
def valued(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Fraud, account, conversion and reach models: the budgeted path LightGBM refused empty."""
    home = copy_home(hashing_home, tmp_path_factory.mktemp("valued") / "home")
    train_small_models(home)
    train_value_models(home)
    with open_client(home) as client:
        client.headers.update(bearer(make_keys(home).acme))
        yield client


def _empty_with_note(response: object, says: str) -> dict:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["items"] == [] and any(says in note for note in body["degraded"]), body
    return body


def test_the_value_models_are_served(valued: TestClient) -> None:
    body = valued.post("/v1/shortlists", json={"brief": "pasta", "budget": 5_000, "k": 3}).json()
    assert body["items"] and body["items"][0]["predicted_conversions"] is not None
    assert not any("no conversion model" in note for note in body["degraded"])


def test_a_budget_below_the_cheapest_price_gives_an_empty_shortlist_naming_that_price(
    valued: TestClient,
) -> None:
    response = valued.post("/v1/shortlists", json={"brief": "pasta", "budget": 1})
    body = _empty_with_note(response, "fits the budget 1: the cheapest costs")
    assert body["candidates_considered"] > 0


def test_max_fraud_zero_leaves_no_candidate_and_the_note_says_so(valued: TestClient) -> None:
    response = valued.post("/v1/shortlists", json={"brief": "pasta", "max_fraud": 0})
    _empty_with_note(response, "within the brief's max_fraud 0")


def test_a_price_cap_below_every_price_gives_an_empty_shortlist(valued: TestClient) -> None:
    response = valued.post("/v1/shortlists", json={"brief": "pasta", "price_cap": 0.5})
    _empty_with_note(response, "price_cap 0.5")


def test_lookalikes_within_a_budget_below_every_price_are_empty_with_a_note(
    valued: TestClient,
) -> None:
    response = valued.post("/v1/creators/similar", json={"creator_id": "c001", "budget": 1})
    _empty_with_note(response, "the cheapest costs")


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/v1/shortlists", {"brief": "pasta", "max_followers": 10**20}, "max_followers"),
        ("/v1/creators/similar", {"creator_id": "c001", "min_followers": 2**63}, "min_followers"),
        ("/v1/fraud/score", {"creators": [{"creator_id": "x", "followers": 10**20}]},
         "creators.0.followers"),
        ("/v1/accounts/score", {"accounts": [{"following": 2**64}]}, "accounts.0.following"),
    ],
)  # fmt: skip
def test_an_integer_beyond_64_bits_is_a_422_not_an_overflow(
    valued: TestClient, route: str, body: dict, field: str
) -> None:
    error = error_of(valued.post(route, json=body), 422, "InvalidInput")
    assert (
        error["fields"] == [field]
        and "less than or equal to 9223372036854775807" in (error["message"])
    )
