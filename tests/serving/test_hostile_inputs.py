"""Hostile bodies and paths through the real app: 422 naming the field, never a 500, never stored.

Every route that takes a body gets a valid body whose numeric fields are replaced, one at a time,
by a non-finite number (`NaN`, `Infinity`, which Python's JSON parser accepts), a number beyond
64 bits or beyond its range (10**400, 1e400, 2**63); and whose lists and maps are replaced, one at
a time, by 100,000 entries. Each request must be a 422 whose `fields` name what was wrong.
"""

from __future__ import annotations

import json
import math
import pathlib
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from creatormatch.models import AccountModel
from creatormatch.store import Catalog
from tests.serving.conftest import (
    bearer,
    copy_home,
    error_of,
    make_keys,
    open_client,
    train_small_models,
)

BIG = 2**63 - 1  # the largest integer SQLite holds
ACCOUNT = {
    "username": "ann", "followers": 200, "following": 180, "posts": 30, "bio_length": 20,
    "full_name_length": 8,
}  # fmt: skip
CREATOR = {
    "creator_id": "fuzzed", "platform": "tiktok", "handle": "fuzzed", "bio": "home workout hiit",
    "categories": ["fitness"], "followers": 5_000, "following": 300, "posts_count": 40,
    "price_per_post": 250.0, "account_created": "2021-03-01",
    "posts": [{"post_id": "p1", "caption": "hiit squats", "hashtags": ["gym"], "likes": 300,
               "comments": 12, "views": 4_000, "posted_at": "2024-05-01T10:00:00"}],
    "audience": {"countries": {"US": 0.6}, "ages": {"18-24": 0.5}, "genders": {"female": 0.7},
                 "interests": {"fitness": 0.8}},
    "follower_series": [{"day": "2024-05-01", "followers": 5_000, "following": 300}],
    "comments": [{"post_id": "p1", "commenter": "ann", "text": "love it"}],
    "follower_sample": [ACCOUNT], "commenter_sample": [ACCOUNT],
}  # fmt: skip
BRIEF = {
    "brief": "home workout", "countries": {"US": 0.7}, "ages": ["18-24"], "genders": ["female"],
    "interests": ["fitness"], "languages": ["en"], "platforms": ["tiktok"], "tiers": ["micro"],
    "min_followers": 1_000, "max_followers": 100_000, "min_engagement": 0.01, "max_fraud": 0.5,
    "budget": 5_000.0, "price_cap": 1_000.0, "exclude": ["c002"], "k": 5,
}  # fmt: skip
SIMILAR = {
    "creator_id": "c001", "k": 5, "platforms": ["tiktok"], "tiers": ["micro"], "languages": ["en"],
    "min_followers": 1_000, "max_followers": 100_000, "max_fraud": 0.5, "budget": 5_000.0,
    "price_cap": 1_000.0, "exclude": ["c002"],
}  # fmt: skip
OUTCOME = {
    "campaign_id": "fuzzed", "brand_id": "b1", "creator_id": "c001", "impressions": 1_000,
    "clicks": 20, "conversions": 2, "spend": 300.0,
    "brief": {"text": "home workout", "countries": {"US": 1.0}, "max_followers": 100_000,
              "budget": 5_000.0, "ages": ["18-24"]},
}  # fmt: skip
ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/v1/shortlists", BRIEF),
    ("POST", "/v1/creators/similar", SIMILAR),
    ("PUT", "/v1/creators", {"creators": [CREATOR]}),
    ("POST", "/v1/fraud/score", {"creators": [CREATOR]}),
    ("POST", "/v1/accounts/score", {"accounts": [ACCOUNT]}),
    ("POST", "/v1/outcomes", {"outcomes": [OUTCOME]}),
]
# JSON texts: Python's parser reads NaN, Infinity and 1e400 (as inf) and 10**400 (as an int).
HOSTILE_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e400", str(10**400), str(-(10**400)),
                   str(2**63))  # fmt: skip
MAPS = {"countries", "ages", "genders", "interests"}
HUGE = 100_000  # entries: above every cap, and what cost seconds of a request thread before

Where = tuple[str | int, ...]  # a field inside a body: keys and list indices


def _leaves(value: Any, path: Where = ()) -> Iterator[tuple[Where, Any]]:
    """(path, value) of every number, list and map inside `value`, outermost first."""
    if isinstance(value, dict | list):
        if path:
            yield path, value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, inner in items:
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _replaced(body: dict[str, Any], path: Where, new: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    inner = copy
    for key in path[:-1]:
        inner = inner[key]
    inner[path[-1]] = new
    return copy


def _named(path: Where) -> str:
    return ".".join(str(p) for p in path)


def _is_collection(path: Where, value: Any) -> bool:
    """A list, or a map (a dict keyed by data: countries, age buckets, ...; not a record)."""
    return isinstance(value, list) or (isinstance(value, dict) and path[-1] in MAPS)


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(method, route, body, path, id=f"{method} {route} {_named(path)}")
        for method, route, body in ROUTES
        for path, value in _leaves(body)
        if (_is_collection(path, value) if kind == "collection" else isinstance(value, int | float))
    ]


@pytest.fixture(scope="module")
def served(
    hashing_home: Home, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Home]]:
    """The small home with fraud and account models, so that every route can answer 200."""
    home = copy_home(hashing_home, tmp_path_factory.mktemp("hostile") / "home")
    train_small_models(home)
    key = make_keys(home).acme
    limits = {"rate_per_s": 1e6, "burst": 1_000_000, "max_body_bytes": 100_000_000}
    with open_client(home, **limits) as client:
        client.headers.update(bearer(key))
        yield client, home


def _send(client: TestClient, method: str, route: str, text: str) -> Any:
    headers = {"Content-Type": "application/json"}
    return client.request(method, route, content=text.encode(), headers=headers)


@pytest.mark.parametrize(("method", "route", "body", "path"), _cases("number"))
@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_a_non_finite_or_out_of_range_number_in_any_field_is_a_422_naming_it(
    served: tuple[TestClient, Home],
    method: str,
    route: str,
    body: dict[str, Any],
    path: Where,
    number: str,
) -> None:
    client, _ = served
    text = json.dumps(_replaced(body, path, "__number__")).replace('"__number__"', number)
    error = error_of(_send(client, method, route, text), 422, "InvalidInput")
    assert _named(path) in error["fields"], error


@pytest.mark.parametrize(("method", "route", "body", "path"), _cases("collection"))
def test_a_list_or_map_of_100_000_entries_is_a_422_naming_it(
    served: tuple[TestClient, Home],
    method: str,
    route: str,
    body: dict[str, Any],
    path: Where,
) -> None:
    client, _ = served
    inner = body
    for key in path:
        inner = inner[key]
    first = next(iter(inner.values() if isinstance(inner, dict) else inner))
    huge: Any = {f"k{i}": first for i in range(HUGE)} if isinstance(inner, dict) else [first] * HUGE
    response = _send(client, method, route, json.dumps(_replaced(body, path, huge)))
    error = error_of(response, 422, "InvalidInput")
    assert _named(path) in error["fields"], error
    assert len(error["fields"]) == 1, "the size is refused before any entry is validated"


def test_a_million_item_ages_list_is_refused_at_once(served: tuple[TestClient, Home]) -> None:
    client, _ = served
    text = json.dumps({**BRIEF, "ages": ["18-24"] * 1_000_000})
    started = time.perf_counter()
    error = error_of(_send(client, "POST", "/v1/shortlists", text), 422, "InvalidInput")
    assert error["fields"] == ["ages"]
    assert time.perf_counter() - started < 5.0  # 7.6 s of the only request thread before


def test_a_number_too_long_to_parse_is_a_422_about_the_body(
    served: tuple[TestClient, Home],
) -> None:
    client, _ = served
    text = json.dumps(BRIEF).replace('"k": 5', '"k": 1' + "0" * 5_000)
    error = error_of(_send(client, "POST", "/v1/shortlists", text), 422, "InvalidInput")
    assert error["fields"] == ["body"]


@pytest.mark.parametrize(
    "when", ['"2024-05-01T10:00:00' + "0" * 400 + '"', str(10**400), "1e300", "Infinity", "NaN"]
)
def test_a_time_that_is_not_one_is_a_422_naming_it(
    served: tuple[TestClient, Home], when: str
) -> None:
    client, _ = served
    path = ("creators", 0, "posts", 0, "posted_at")
    text = json.dumps(_replaced({"creators": [CREATOR]}, path, "__t__")).replace('"__t__"', when)
    error = error_of(_send(client, "POST", "/v1/fraud/score", text), 422, "InvalidInput")
    assert _named(path) in error["fields"]


def test_infinity_is_refused_so_nothing_is_stored_and_later_upserts_still_work(
    served: tuple[TestClient, Home],
) -> None:
    client, home = served
    poisoned = json.dumps({"creators": [CREATOR]}).replace("250.0", "Infinity")
    error = error_of(_send(client, "PUT", "/v1/creators", poisoned), 422, "InvalidInput")
    assert error["fields"] == ["creators.0.price_per_post"]
    spent = json.dumps({"outcomes": [OUTCOME]}).replace("300.0", "Infinity")
    error = error_of(_send(client, "POST", "/v1/outcomes", spent), 422, "InvalidInput")
    assert error["fields"] == ["outcomes.0.spend"]  # not stored as null
    error_of(client.get("/v1/creators/fuzzed"), 404, "NotFound")
    error_of(client.get("/v1/outcomes/fuzzed"), 404, "NotFound")
    later = client.put("/v1/creators", json={"creators": [{**CREATOR, "creator_id": "later"}]})
    assert later.status_code == 200 and later.json()["stored"] == ["later"], later.text
    catalog = Catalog(home.catalog)
    try:
        features = catalog.features()
    finally:
        catalog.close()
    assert "later" in features.index and not features.isin([math.inf, -math.inf]).any().any()


# The largest values the bounds allow: each route answers them, none overflows.
EXTREME_ACCOUNT = {**ACCOUNT, "followers": BIG, "following": BIG, "posts": BIG,
                   "bio_length": BIG, "full_name_length": BIG}  # fmt: skip
EXTREME_CREATOR = {
    **CREATOR, "creator_id": "extreme", "followers": BIG, "following": BIG, "posts_count": BIG,
    "price_per_post": 1e12,
    "posts": [{**CREATOR["posts"][0], "post_id": f"p{i}", "likes": BIG, "comments": BIG,
               "views": BIG, "posted_at": f"2024-05-0{i + 1}T10:00:00"} for i in range(3)],
    "follower_series": [{"day": f"2024-05-0{i + 1}", "followers": BIG * (i % 2), "following": BIG}
                        for i in range(4)],
    "follower_sample": [EXTREME_ACCOUNT], "commenter_sample": [EXTREME_ACCOUNT],
}  # fmt: skip


@pytest.mark.parametrize(
    ("method", "route", "body"),
    [
        ("POST", "/v1/fraud/score", {"creators": [EXTREME_CREATOR]}),
        ("POST", "/v1/accounts/score", {"accounts": [EXTREME_ACCOUNT]}),
        ("PUT", "/v1/creators", {"creators": [EXTREME_CREATOR]}),
        ("POST", "/v1/shortlists", {"brief": "hiit", "min_followers": 0, "max_followers": BIG,
                                    "budget": 1e12, "price_cap": 1e12, "k": 200}),
        ("POST", "/v1/shortlists", {"brief": "hiit", "min_followers": BIG, "k": 200}),
        ("POST", "/v1/creators/similar", {"creator_id": "c001", "max_followers": BIG,
                                          "budget": 1e12, "k": 200}),
        ("POST", "/v1/outcomes", {"outcomes": [{**OUTCOME, "campaign_id": "extreme",
                                                "impressions": BIG, "clicks": BIG,
                                                "conversions": BIG, "spend": 1e12}]}),
    ],
    ids=["fraud", "accounts", "upsert", "shortlist", "shortlist-min", "similar", "outcomes"],
)  # fmt: skip
def test_the_largest_allowed_numbers_are_answered_without_overflow(
    served: tuple[TestClient, Home], method: str, route: str, body: dict[str, Any]
) -> None:
    client, _ = served
    response = _send(client, method, route, json.dumps(body))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("creator_id", ["ig/anna", "yt/UC_x/anna", "a%b", "with space"])
def test_a_creator_id_with_a_slash_or_odd_characters_is_read_and_deleted_over_the_api(
    served: tuple[TestClient, Home], creator_id: str
) -> None:
    client, _ = served
    stored = client.put("/v1/creators", json={"creators": [{**CREATOR, "creator_id": creator_id}]})
    assert stored.status_code == 200, stored.text
    quoted = urllib.parse.quote(creator_id, safe="")  # "/" sent as %2F
    for path in {creator_id.replace("%", "%25").replace(" ", "%20"), quoted}:
        read = client.get(f"/v1/creators/{path}")
        assert read.status_code == 200 and read.json()["creator"]["creator_id"] == creator_id
    deleted = client.delete(f"/v1/creators/{quoted}")
    assert deleted.status_code == 200 and deleted.json()["deleted"] == creator_id
    error_of(client.get(f"/v1/creators/{quoted}"), 404, "NotFound")


def test_a_campaign_id_with_a_slash_reads_back(served: tuple[TestClient, Home]) -> None:
    client, _ = served
    outcome = {**OUTCOME, "campaign_id": "spring/2025"}
    assert client.post("/v1/outcomes", json={"outcomes": [outcome]}).status_code == 200
    body = client.get("/v1/outcomes/spring/2025").json()
    assert [o["campaign_id"] for o in body["outcomes"]] == ["spring/2025"]


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", "/v1/creators/" + str(10**400), "creator_id"),
        ("DELETE", "/v1/creators/" + "x" * 201, "creator_id"),
        ("GET", "/v1/creators/", "creator_id"),
        ("GET", "/v1/outcomes/" + "1" * 201, "campaign_id"),
        ("GET", "/v1/shortlists/" + "f" * 65, "shortlist_id"),
    ],
)
def test_an_overlong_or_empty_id_in_the_path_is_a_422_naming_it(
    served: tuple[TestClient, Home], method: str, path: str, field: str
) -> None:
    client, _ = served
    assert error_of(client.request(method, path), 422, "InvalidInput")["fields"] == [field]


def test_models_show_no_host_paths(hashing_home: Home, tmp_path: pathlib.Path) -> None:
    home = copy_home(hashing_home, tmp_path / "home")
    train_small_models(home)
    model, _ = AccountModel.load(home.model_dir("account"))
    # What `creatormatch train` records for the account model: the directory of its data sets.
    model.save(home.model_dir("account"), metadata={"data_hash": str(tmp_path / "data")})
    with open_client(home) as client:
        client.headers.update(bearer(make_keys(home).acme))
        body = client.get("/v1/models").json()
    assert str(tmp_path) not in json.dumps(body)
    hashes = {artifact["name"]: artifact["data_hash"] for artifact in body["artifacts"]}
    assert hashes["account"] is None and hashes["fraud"] == "d" * 64


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/v1/shortlists", {**BRIEF, **{f"k{i}": 1 for i in range(300_000)}}, ""),
        ("/v1/fraud/score", {"creators": [{**CREATOR, **{f"k{i}": 1 for i in range(50_000)}}]},
         "creators.0"),
    ],
    ids=["brief", "nested-record"],
)  # fmt: skip
def test_a_flood_of_unknown_keys_is_one_error_not_one_per_key(
    served: tuple[TestClient, Home], route: str, body: dict[str, Any], field: str
) -> None:
    client, _ = served
    error = error_of(_send(client, "POST", route, json.dumps(body)), 422, "InvalidInput")
    assert error["fields"] == [field] and "expected at most the" in error["message"]
