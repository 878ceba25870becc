"""Sign-in on the page: a server-side session in an HttpOnly, SameSite=Strict, Secure cookie;
CSRF-checked writes; one generic 401 for a wrong email or password, rate limited; API keys
unchanged beside it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from creatormatch.core import Home
from creatormatch.serving import FAILED_AUTH_BURST
from creatormatch.store import store_path
from tests.serving.conftest import Keys, bearer, error_of, open_client
from tests.serving.signin import PASSWORD, USERS, make_users, sign_in

BRIEF = {"brief": "hiit squats protein workout", "k": 3}


@pytest.fixture()
def browser(home: Home, keys: Keys) -> Iterator[TestClient]:
    """A client without a key, as the page is: plain http, so cookies are not Secure-only."""
    make_users(home)
    with open_client(home, cookie_secure=False) as client:
        yield client


def _set_cookies(response: object) -> dict[str, SimpleCookie]:
    cookies = {}
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        parsed: SimpleCookie = SimpleCookie(header)
        cookies.update({name: parsed for name in parsed})
    return cookies


def test_sign_in_sets_an_httponly_strict_secure_session_and_a_readable_csrf_cookie(
    home: Home, keys: Keys
) -> None:
    make_users(home)
    with open_client(home) as client:  # the default settings: Secure cookies
        response = client.post("/v1/session", json={"email": USERS["acme"], "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert response.json()["email"] == USERS["acme"] and response.json()["tenant"] == "acme"
    cookies = _set_cookies(response)
    session, csrf = cookies["cm_session"]["cm_session"], cookies["cm_csrf"]["cm_csrf"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "strict"
    assert not csrf["httponly"] and csrf["secure"] and csrf["samesite"] == "strict"
    assert int(session["max-age"]) == 8 * 3600 and session["path"] == "/"
    # Only hashes are kept: neither the token nor the password is in the file.
    stored = store_path(home).read_bytes()
    assert session.value.encode() not in stored and PASSWORD.encode() not in stored


def test_a_signed_in_user_works_for_their_tenant_by_cookie(browser: TestClient) -> None:
    csrf = sign_in(browser)
    assert browser.get("/v1/session").json()["tenant"] == "acme"
    made = browser.post("/v1/shortlists", json=BRIEF, headers=csrf)
    assert made.status_code == 200, made.text
    shortlist_id = made.json()["shortlist_id"]
    assert browser.get(f"/v1/shortlists/{shortlist_id}").status_code == 200


def test_a_write_by_cookie_without_the_csrf_token_is_refused_with_403(
    browser: TestClient,
) -> None:
    csrf = sign_in(browser)
    missing = error_of(browser.post("/v1/shortlists", json=BRIEF), 403, "Forbidden")
    assert "X-CSRF-Token" in missing["message"] and "got none" in missing["message"]
    wrong = browser.post("/v1/shortlists", json=BRIEF, headers={"X-CSRF-Token": "forged"})
    assert "a different one" in error_of(wrong, 403, "Forbidden")["message"]
    # A planted csrf cookie echoed in the header is not the session's token either.
    browser.cookies.set("cm_csrf", "planted")
    planted = browser.post("/v1/shortlists", json=BRIEF, headers={"X-CSRF-Token": "planted"})
    error_of(planted, 403, "Forbidden")
    browser.cookies.set("cm_csrf", csrf["X-CSRF-Token"])
    assert browser.post("/v1/shortlists", json=BRIEF, headers=csrf).status_code == 200
    assert browser.get("/v1/session").status_code == 200  # reads need no token


def test_api_keys_need_no_csrf_token_and_win_over_a_session_cookie(
    browser: TestClient, keys: Keys
) -> None:
    sign_in(browser, "globex")
    made = browser.post("/v1/shortlists", json=BRIEF, headers=bearer(keys.acme))
    assert made.status_code == 200, made.text
    shortlist_id = made.json()["shortlist_id"]
    # Made for acme (the key's tenant), not globex (the cookie's): the cookie cannot read it.
    error_of(browser.get(f"/v1/shortlists/{shortlist_id}"), 404, "NotFound")
    assert browser.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(keys.acme)).is_success


@pytest.mark.parametrize(
    "email, password", [(USERS["acme"], "wrong password"), ("nobody@acme.test", PASSWORD)]
)
def test_a_wrong_password_or_unknown_email_is_one_generic_401_never_logged(
    browser: TestClient, email: str, password: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = browser.post("/v1/session", json={"email": email, "password": password})
    assert error_of(response, 401, "Unauthorized")["message"] == (
        "the email or the password is wrong"
    )
    assert "cm_session" not in response.headers.get("set-cookie", "")
    assert password not in caplog.text and password not in response.text


def test_wrong_passwords_are_rate_limited_per_address_and_keys_keep_working(
    browser: TestClient, keys: Keys
) -> None:
    wrong = {"email": USERS["acme"], "password": "not the password"}
    for _ in range(FAILED_AUTH_BURST):
        error_of(browser.post("/v1/session", json=wrong), 401, "Unauthorized")
    refused = browser.post("/v1/session", json={"email": USERS["acme"], "password": PASSWORD})
    assert "failed sign-ins" in error_of(refused, 429, "RateLimited")["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert browser.get("/v1/models", headers=bearer(keys.acme)).status_code == 200


def test_sign_out_ends_the_session_on_the_server(browser: TestClient, home: Home) -> None:
    csrf = sign_in(browser)
    token = browser.cookies["cm_session"]
    error_of(browser.delete("/v1/session"), 403, "Forbidden")  # a write: the token is needed
    response = browser.delete("/v1/session", headers=csrf)
    assert response.status_code == 204
    assert 'cm_session=""' in response.headers["set-cookie"]
    rows = sqlite3.connect(store_path(home)).execute("SELECT COUNT(*) FROM sessions").fetchone()
    assert rows == (0,)
    browser.cookies.set("cm_session", token)  # replaying the old cookie
    message = error_of(browser.get("/v1/session"), 401, "Unauthorized")["message"]
    assert "signed out" in message


def test_a_signed_in_user_reads_the_catalog_but_may_not_write_it(browser: TestClient) -> None:
    csrf = sign_in(browser)
    assert browser.get("/v1/creators/c001").status_code == 200
    response = browser.delete("/v1/creators/c001", headers=csrf)
    assert "'read' session" in error_of(response, 403, "Forbidden")["message"]


def test_session_routes_are_for_sessions_only(client: TestClient) -> None:
    assert "got an API key" in error_of(client.get("/v1/session"), 403, "Forbidden")["message"]
    error_of(TestClient(client.app).get("/v1/session"), 401, "Unauthorized")
