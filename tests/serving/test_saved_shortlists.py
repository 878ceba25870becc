"""Saved shortlists through the API: save, list, reopen, pin and remove with the rest re-ranked,
spend against the budget, CSV and XLSX exports that parse back, share links inside the tenant;
another tenant gets 404 for all of it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from creatormatch.core import Home
from tests.conftest import niche_records
from tests.serving.conftest import Keys, bearer, error_of, open_client
from tests.serving.signin import make_users, sign_in

BRIEF = {"brief": "hiit squats protein workout", "k": 5}


@pytest.fixture()
def saved(client: TestClient) -> dict:
    response = client.post("/v1/shortlists/saved", json={"name": "Spring", "brief": BRIEF})
    assert response.status_code == 201, response.text
    return response.json()


def _ids(body: dict) -> list[str]:
    return [item["creator_id"] for item in body["result"]["items"]]


def test_a_saved_shortlist_is_listed_and_reopens_as_it_was_saved(
    client: TestClient, saved: dict
) -> None:
    assert len(_ids(saved)) == 5 and saved["created_by"].startswith("key ")
    listing = client.get("/v1/shortlists/saved").json()["shortlists"]
    assert [(s["saved_id"], s["name"], s["creators"]) for s in listing] == [
        (saved["saved_id"], "Spring", 5)
    ]
    reopened = client.get(f"/v1/shortlists/saved/{saved['saved_id']}").json()
    assert reopened == saved


def test_saving_a_kept_shortlist_keeps_its_items_as_they_were_listed(client: TestClient) -> None:
    made = client.post("/v1/shortlists", json=BRIEF).json()
    body = {"name": "From the page", "shortlist_id": made["shortlist_id"]}
    saved = client.post("/v1/shortlists/saved", json=body).json()
    assert saved["result"]["items"] == made["items"]
    assert saved["brief"]["text"] == BRIEF["brief"]
    both = client.post("/v1/shortlists/saved", json={**body, "brief": BRIEF})
    assert "exactly one of" in error_of(both, 422, "InvalidInput")["message"]


def test_removing_a_creator_brings_in_the_next_best_and_restoring_undoes_it(
    client: TestClient, saved: dict
) -> None:
    url = f"/v1/shortlists/saved/{saved['saved_id']}"
    before = _ids(saved)
    removed = client.patch(url, json={"remove": [before[0]]}).json()
    after = _ids(removed)
    assert before[0] not in after and len(after) == 5 and removed["removed"] == [before[0]]
    # The rest stays and one new creator comes in, in the order a shortlist made without the
    # removed creator has: its diversity term no longer holds its lookalikes back, so near-tied
    # ones may swap.
    assert set(before[1:]) < set(after)
    fresh = client.post("/v1/shortlists", json={**BRIEF, "exclude": [before[0]]})
    assert fresh.status_code == 200, fresh.text
    assert after == [item["creator_id"] for item in fresh.json()["items"]]
    assert [i["rank"] for i in removed["result"]["items"]] == [1, 2, 3, 4, 5]
    restored = client.patch(url, json={"restore": [before[0]]}).json()
    assert _ids(restored) == before and restored["removed"] == []


def test_a_pinned_creator_stays_on_top_and_the_rest_is_reranked_without_it(
    client: TestClient, saved: dict
) -> None:
    url = f"/v1/shortlists/saved/{saved['saved_id']}"
    before = _ids(saved)
    pinned = client.patch(url, json={"pin": [before[3]]}).json()
    assert _ids(pinned)[0] == before[3] and pinned["pinned"] == [before[3]]
    assert _ids(pinned)[1:] == [c for c in before if c != before[3]]
    # A pinned creator survives the removal of others; removing it unpins it.
    again = client.patch(url, json={"remove": [before[0]]}).json()
    assert _ids(again)[0] == before[3] and before[0] not in _ids(again)
    unknown = client.patch(url, json={"pin": ["c999"]})
    assert (
        "pin: expected creators of this shortlist, got c999"
        in (error_of(unknown, 422, "InvalidInput")["message"])
    )


def test_spend_is_totalled_against_the_budget_and_pins_are_not_spent_twice(
    client: TestClient,
) -> None:
    body = {"name": "Budgeted", "brief": {**BRIEF, "budget": 1500.0}}
    saved = client.post("/v1/shortlists/saved", json=body).json()
    prices = [i["price_per_post"] for i in saved["result"]["items"]]
    spend = saved["spend"]
    assert spend["total"] == pytest.approx(sum(prices)) and spend["total"] <= 1500.0
    assert spend["remaining"] == pytest.approx(1500.0 - sum(prices)) and spend["unpriced"] == 0
    pin = saved["result"]["items"][0]["creator_id"]
    pinned = client.patch(f"/v1/shortlists/saved/{saved['saved_id']}", json={"pin": [pin]})
    assert pinned.json()["spend"]["total"] <= 1500.0
    assert [i["creator_id"] for i in pinned.json()["result"]["items"]].count(pin) == 1


def test_the_csv_export_parses_back_to_the_listed_creators(client: TestClient, saved: dict) -> None:
    response = client.get(f"/v1/shortlists/saved/{saved['saved_id']}/export")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="Spring.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["creator_id"] for r in rows] == _ids(saved)
    first = saved["result"]["items"][0]
    assert rows[0]["handle"] == first["handle"]
    assert float(rows[0]["price_per_post"]) == first["price_per_post"]


def test_the_xlsx_export_parses_back_with_a_summary_of_the_spend(
    client: TestClient, saved: dict
) -> None:
    response = client.get(f"/v1/shortlists/saved/{saved['saved_id']}/export?format=xlsx")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Shortlist"].iter_rows(values_only=True))
    assert rows[0][:3] == ("rank", "creator_id", "handle")
    assert [r[1] for r in rows[1:]] == _ids(saved) and rows[1][0] == 1
    summary = dict(book["Summary"].iter_rows(values_only=True))
    assert summary["total spend"] == pytest.approx(saved["spend"]["total"])
    assert summary["brief"] == BRIEF["brief"]
    bad = client.get(f"/v1/shortlists/saved/{saved['saved_id']}/export?format=pdf")
    assert error_of(bad, 422, "InvalidInput")["fields"] == ["format"]


def test_exports_never_turn_a_creators_text_into_a_formula(client: TestClient, saved: dict) -> None:
    top = _ids(saved)[0]
    record = next(r for r in niche_records() if r.creator_id == top)
    hostile = record.model_copy(update={"handle": '=HYPERLINK("http://x")'})
    body = {"creators": [hostile.model_dump(mode="json", exclude_none=True)]}
    assert client.put("/v1/creators", json=body).status_code == 200
    again = client.post("/v1/shortlists/saved", json={"name": "x", "brief": BRIEF}).json()
    assert again["result"]["items"][0]["handle"] == '=HYPERLINK("http://x")'
    url = f"/v1/shortlists/saved/{again['saved_id']}/export"
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    assert book["Shortlist"]["C2"].value == '\'=HYPERLINK("http://x")'
    assert book["Shortlist"]["C2"].data_type == "s"
    assert list(csv.reader(io.StringIO(client.get(url).text)))[1][2] == '\'=HYPERLINK("http://x")'


def test_another_tenant_gets_404_for_every_saved_shortlist_route(
    client: TestClient, saved: dict, keys: Keys
) -> None:
    other = bearer(keys.globex)
    url = f"/v1/shortlists/saved/{saved['saved_id']}"
    for method, path in [("GET", url), ("PATCH", url), ("DELETE", url), ("GET", url + "/export"),
                         ("POST", url + "/share")]:  # fmt: skip
        body = {} if method == "PATCH" else None
        response = client.request(method, path, headers=other, json=body)
        error_of(response, 404, "NotFound")
    assert client.get("/v1/shortlists/saved", headers=other).json() == {"shortlists": []}
    assert client.delete(url).status_code == 204
    error_of(client.get(url), 404, "NotFound")


@pytest.fixture()
def colleagues(home: Home, keys: Keys) -> Iterator[tuple[TestClient, TestClient]]:
    """Two browsers signed in by cookie: acme's user and globex's."""
    make_users(home)
    with (
        open_client(home, cookie_secure=False) as acme,
        open_client(home, cookie_secure=False) as globex,
    ):
        sign_in(acme, "acme")
        sign_in(globex, "globex")
        yield acme, globex


def test_a_share_link_opens_read_only_for_signed_in_users_of_the_tenant_only(
    client: TestClient, saved: dict, colleagues: tuple[TestClient, TestClient]
) -> None:
    acme, globex = colleagues
    shared = client.post(f"/v1/shortlists/saved/{saved['saved_id']}/share").json()
    assert shared["url"] == f"/#shared={shared['token']}"
    path = f"/v1/shortlists/shared/{shared['token']}"
    opened = acme.get(path).json()
    assert opened["read_only"] and _ids(opened) == _ids(saved)
    error_of(globex.get(path), 404, "NotFound")
    error_of(TestClient(client.app).get(path), 401, "Unauthorized")  # the link alone: no
    client.post(f"/v1/shortlists/saved/{saved['saved_id']}/share")  # a new link...
    error_of(acme.get(path), 404, "NotFound")  # ...and the old one stops working


def test_the_saved_list_route_is_not_read_as_a_shortlist_id(client: TestClient) -> None:
    response = client.get("/v1/shortlists/saved")
    assert response.status_code == 200 and response.json() == {"shortlists": []}
