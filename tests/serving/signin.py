"""Users and sessions for the workspace's tests: a user per tenant, a client signed in by cookie
(plain http, so `cookie_secure` is off), and the CSRF header its writes echo."""

from __future__ import annotations

from fastapi.testclient import TestClient

from creatormatch.core import Home
from creatormatch.store import UserStore, Workspace

PASSWORD = "correct horse battery"
USERS = {"acme": "ana@acme.test", "globex": "gil@globex.test"}


def make_users(home: Home) -> None:
    workspace = Workspace.of(home)
    try:
        for tenant, email in USERS.items():
            UserStore(workspace).create(tenant, email, PASSWORD)
    finally:
        workspace.close()


def sign_in(client: TestClient, tenant: str = "acme") -> dict[str, str]:
    """Sign `client` in as the tenant's user; returns the header its writes need."""
    response = client.post("/v1/session", json={"email": USERS[tenant], "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": client.cookies["cm_csrf"]}
