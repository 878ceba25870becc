"""The campaign report: each creator's predicted against actual conversions, cost per conversion
and spend against the budget; predictions from the booked shortlist, else from the conversion
model for the impressions delivered; another tenant's campaign is 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from tests.serving.conftest import Keys, bearer, copy_home, error_of, make_keys, open_client
from tests.value_models import train_value_models

BRIEF = {"brief": "hiit squats protein workout", "k": 4, "budget": 5000.0}


@pytest.fixture(scope="module")
def valued_home(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = copy_home(hashing_home, Path(tmp_path_factory.mktemp("report")) / "home")
    train_value_models(home)
    return home


@pytest.fixture()
def served(valued_home: Home, tmp_path: Path) -> Iterator[tuple[TestClient, Keys]]:
    home = copy_home(valued_home, tmp_path / "home")
    keys = make_keys(home)
    with open_client(home) as client:
        client.headers.update(bearer(keys.acme))
        yield client, keys


def _outcome(campaign: str, creator_id: str, **fields: object) -> dict:
    return {"campaign_id": campaign, "brand_id": "b1", "creator_id": creator_id,
            "impressions": 10_000, "conversions": 20, "spend": 400.0, **fields}  # fmt: skip


def test_a_booked_shortlists_predictions_meet_the_actual_conversions(
    served: tuple[TestClient, Keys],
) -> None:
    client, _ = served
    body = {"name": "Spring", "brief": BRIEF, "campaign_id": "spring/2025"}
    saved = client.post("/v1/shortlists/saved", json=body).json()
    listed = saved["result"]["items"]
    assert all(i["predicted_conversions"] is not None for i in listed)
    outcomes = [
        _outcome("spring/2025", listed[0]["creator_id"], conversions=30, spend=600.0),
        _outcome("spring/2025", listed[1]["creator_id"], conversions=0, spend=250.0),
        _outcome("spring/2025", "c002", conversions=5, spend=None),  # not on the list
    ]
    assert client.post("/v1/outcomes", json={"outcomes": outcomes}).status_code == 200
    report = client.get("/v1/campaigns/spring/2025/report").json()
    rows = {r["creator_id"]: r for r in report["creators"]}
    first, second, other = (rows[o["creator_id"]] for o in outcomes)
    assert first["predicted_conversions"] == pytest.approx(listed[0]["predicted_conversions"])
    assert first["predicted_from"] == "shortlist" and first["cost_per_conversion"] == 20.0
    assert second["cost_per_conversion"] is None  # no conversion: no cost per one
    assert other["predicted_from"] == "model" and other["predicted_conversions"] > 0
    assert first["handle"] == listed[0]["handle"]
    assert report["saved_id"] == saved["saved_id"] and report["budget"] == 5000.0
    assert report["spend"] == 850.0 and report["remaining"] == 4150.0
    assert report["conversions"] == 35 and report["cost_per_conversion"] == pytest.approx(850 / 35)
    assert report["predicted_conversions"] == pytest.approx(
        sum(r["predicted_conversions"] for r in report["creators"])
    )
    assert any("reported no spend" in note for note in report["notes"])


def test_without_a_booked_shortlist_the_model_predicts_for_the_impressions_delivered(
    served: tuple[TestClient, Keys],
) -> None:
    client, _ = served
    brief = {"text": "hiit squats protein workout", "budget": 900.0}
    outcomes = [
        _outcome("small", "c000", impressions=2_000, brief=brief),
        _outcome("large", "c000", impressions=20_000, brief=brief),
    ]
    client.post("/v1/outcomes", json={"outcomes": outcomes})
    small, large = (client.get(f"/v1/campaigns/{c}/report").json() for c in ("small", "large"))
    (row_small,), (row_large,) = small["creators"], large["creators"]
    assert row_small["predicted_from"] == row_large["predicted_from"] == "model"
    # The same creator and brief: one rate, so ten times the impressions, ten times the result.
    ratio = row_large["predicted_conversions"] / row_small["predicted_conversions"]
    assert ratio == pytest.approx(10.0)
    assert small["budget"] == 900.0 and small["remaining"] == 500.0
    assert small["saved_id"] is None and "no saved shortlist" in small["notes"][0]


def test_outcomes_without_a_brief_or_booking_have_no_prediction_and_say_why(
    served: tuple[TestClient, Keys],
) -> None:
    client, _ = served
    client.post("/v1/outcomes", json={"outcomes": [_outcome("bare", "c001")]})
    report = client.get("/v1/campaigns/bare/report").json()
    assert report["creators"][0]["predicted_conversions"] is None
    assert report["predicted_conversions"] is None and report["budget"] is None
    assert any("carry no brief" in note for note in report["notes"])


def test_another_tenants_campaign_report_is_404(served: tuple[TestClient, Keys]) -> None:
    client, keys = served
    client.post("/v1/outcomes", json={"outcomes": [_outcome("mine", "c001")]})
    error_of(client.get("/v1/campaigns/mine/report", headers=bearer(keys.globex)), 404, "NotFound")
    error_of(client.get("/v1/campaigns/never-ran/report"), 404, "NotFound")


def test_without_a_conversion_model_the_report_still_answers_and_says_so(
    client: TestClient,
) -> None:
    outcome = _outcome("plain", "c001", brief={"text": "pasta"})
    client.post("/v1/outcomes", json={"outcomes": [outcome]})
    report = client.get("/v1/campaigns/plain/report").json()
    assert report["creators"][0]["predicted_conversions"] is None
    assert report["conversions"] == 20 and report["cost_per_conversion"] == 20.0
    assert any("no conversion model" in note for note in report["notes"])
