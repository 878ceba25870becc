"""Creator cards: engagement against the same benchmark the fraud model measures posts with,
audience shares, fraud evidence and the newest posts; no benchmark without a fraud model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from tests.conftest import niche_records
from tests.serving.conftest import Keys, bearer, error_of, open_client, train_small_models


@pytest.fixture()
def trained(home: Home, keys: Keys) -> Iterator[TestClient]:
    train_small_models(home)
    with open_client(home) as client:
        client.headers.update(bearer(keys.acme))
        yield client


def test_engagement_is_measured_against_the_fraud_models_own_benchmark(
    trained: TestClient,
) -> None:
    cards = [trained.get(f"/v1/cards/c{i:03d}").json() for i in range(90)]
    flagged = [c for c in cards if c["fraud"]["evidence"]["anomalous_posts"]]
    assert flagged, "expected some creator with posts far above its size bin"
    for card in flagged:
        engagement = card["engagement"]
        assert engagement["versus_benchmark"] == pytest.approx(
            engagement["rate"] / engagement["benchmark"]
        )
        for post in card["fraud"]["evidence"]["anomalous_posts"]:
            # The fraud evidence says "× the bin's median"; times the card's median it is the
            # post's own engagement rate.
            rate = (post["likes"] + post["comments"]) / card["followers"]
            assert post["engagement_vs_benchmark"] * engagement["benchmark"] == pytest.approx(rate)


def test_a_card_shows_the_newest_posts_the_audience_and_the_price(trained: TestClient) -> None:
    record = next(r for r in niche_records() if r.creator_id == "c004")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posts = [
        {**p.model_dump(mode="json", exclude_none=True), "post_id": f"n{j}",
         "posted_at": (start + timedelta(days=j)).isoformat()}
        for j, p in enumerate(record.posts * 2)
    ]  # fmt: skip
    body = record.model_dump(mode="json", exclude_none=True) | {"posts": posts}
    assert trained.put("/v1/creators", json={"creators": [body]}).status_code == 200
    card = trained.get("/v1/cards/c004").json()
    assert [p["post_id"] for p in card["posts"]] == ["n9", "n8", "n7", "n6", "n5", "n4"]
    assert all(p["caption"] for p in card["posts"])
    assert record.audience is not None
    assert card["audience"] == record.audience.model_dump(mode="json")
    assert card["price_per_post"] == record.price_per_post and card["tier"] == "micro"


def test_without_a_fraud_model_there_is_no_benchmark_and_an_unknown_creator_is_404(
    client: TestClient,
) -> None:
    card = client.get("/v1/cards/c001").json()
    assert card["engagement"]["rate"] > 0 and card["fraud"] is None
    assert (
        card["engagement"]["benchmark"] is None and card["engagement"]["versus_benchmark"] is None
    )
    error_of(client.get("/v1/cards/c999"), 404, "NotFound")
