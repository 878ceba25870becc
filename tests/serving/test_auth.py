"""Keys: created and revoked from the CLI, stored hashed, scoped to one tenant."""

import hashlib
import sqlite3

import pytest
from fastapi.testclient import TestClient

from creatormatch.cli import main
from creatormatch.core import Home
from creatormatch.store import TenantStore, store_path
from tests.serving.conftest import Keys, bearer, error_of


def test_keys_create_prints_the_key_last_and_stores_only_its_hash(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(home.root), "keys", "create", "--tenant", "initech"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("cm_")
    rows = sqlite3.connect(store_path(home)).execute("SELECT key_hash FROM api_keys").fetchall()
    stored = {h for (h,) in rows}
    assert hashlib.sha256(key.encode()).hexdigest() in stored
    assert key not in store_path(home).read_bytes().decode(errors="ignore")


def test_a_created_key_authenticates_and_a_revoked_one_gets_401(
    home: Home, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--home", str(home.root), "keys", "create", "--tenant", "initech"])
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert client.get("/v1/models", headers=bearer(key)).status_code == 200
    assert main(["--home", str(home.root), "keys", "revoke", key.split("_")[1]]) == 0
    response = client.get("/v1/models", headers=bearer(key))
    assert "unknown or revoked" in error_of(response, 401, "Unauthorized")["message"]
    assert response.headers["WWW-Authenticate"] == "Bearer"
    main(["--home", str(home.root), "keys", "list"])
    assert "initech" in capsys.readouterr().out


def test_revoking_an_unknown_key_is_an_error(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(home.root), "keys", "revoke", "cm_nope_secret"]) == 2
    assert "no API key" in capsys.readouterr().err


def test_a_bad_tenant_name_is_refused(home: Home) -> None:
    with pytest.raises(Exception, match="expected a tenant name"):
        TenantStore.of(home).create_key("no spaces please")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic abc"},
        bearer("cm_x_y"),
        bearer("x"),
    ],
)
def test_every_route_needs_a_valid_key(client: TestClient, headers: dict[str, str]) -> None:
    client.headers.pop("Authorization")
    calls = [
        ("POST", "/v1/shortlists", {"brief": "x"}),
        ("POST", "/v1/creators/similar", {"creator_id": "c001"}),
        ("PUT", "/v1/creators", {"creators": [{"creator_id": "z"}]}),
        ("GET", "/v1/creators/c001", None),
        ("DELETE", "/v1/creators/c001", None),
        ("POST", "/v1/fraud/score", {"creators": [{"creator_id": "z"}]}),
        ("POST", "/v1/accounts/score", {"accounts": [{}]}),
        ("POST", "/v1/outcomes", {"outcomes": []}),
        ("GET", "/v1/models", None),
    ]
    for method, path, payload in calls:
        response = client.request(method, path, json=payload, headers=headers)
        error_of(response, 401, "Unauthorized")


def test_another_tenants_shortlist_is_404(client: TestClient, keys: Keys) -> None:
    made = client.post("/v1/shortlists", json={"brief": "pasta", "k": 2}).json()
    path = f"/v1/shortlists/{made['shortlist_id']}"
    assert client.get(path).status_code == 200
    response = client.get(path, headers=bearer(keys.globex))
    assert made["shortlist_id"] in error_of(response, 404, "NotFound")["message"]


def test_another_tenants_outcomes_are_404(client: TestClient, keys: Keys) -> None:
    outcome = {
        "campaign_id": "spring", "brand_id": "acme-shoes", "creator_id": "c001",
        "impressions": 1_000, "conversions": 7,
    }  # fmt: skip
    stored = client.post("/v1/outcomes", json={"outcomes": [outcome]})
    assert stored.status_code == 200 and stored.json() == {"stored": 1}
    mine = client.get("/v1/outcomes/spring").json()
    assert mine["outcomes"][0]["conversions"] == 7
    response = client.get("/v1/outcomes/spring", headers=bearer(keys.globex))
    error_of(response, 404, "NotFound")
