"""Keys: created and revoked from the CLI, stored hashed, scoped to one tenant and one scope;
bad keys rate-limited by address."""

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.cli import main
from creatormatch.core import Home, IntegrityError, InvalidInput
from creatormatch.matching import CreatorIndex
from creatormatch.serving import FAILED_AUTH_BURST
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


def test_a_read_key_may_not_write_the_shared_catalog_and_gets_403(
    client: TestClient, keys: Keys
) -> None:
    reader = bearer(keys.globex)
    upsert = client.put("/v1/creators", json={"creators": [{"creator_id": "z1"}]}, headers=reader)
    message = error_of(upsert, 403, "Forbidden")["message"]
    assert "scope 'write'" in message and "--scope write" in message
    error_of(client.delete("/v1/creators/c001", headers=reader), 403, "Forbidden")
    assert client.get("/v1/creators/c001", headers=reader).status_code == 200  # still there
    assert client.post("/v1/shortlists", json={"brief": "pasta"}, headers=reader).status_code == 200
    assert client.delete("/v1/creators/c001").status_code == 200  # acme's key has `write`


def test_keys_are_created_read_only_unless_asked_and_list_their_scope(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(home.root), "keys", "create", "--tenant", "initech"]) == 0
    assert "(scope read)" in capsys.readouterr().out
    main(["--home", str(home.root), "keys", "create", "--tenant", "hooli", "--scope", "write"])
    capsys.readouterr()
    main(["--home", str(home.root), "keys", "list"])
    listing = capsys.readouterr().out.splitlines()
    assert any("initech" in line and line.endswith("scope read") for line in listing)
    assert any("hooli" in line and line.endswith("scope write") for line in listing)
    with pytest.raises(InvalidInput, match="expected a scope from read, write, got 'admin'"):
        TenantStore.of(home).create_key("x", scope="admin")


def test_keys_made_before_scopes_existed_keep_write_access(tmp_path: Path) -> None:
    path = tmp_path / "tenants.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE api_keys (key_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, key_hash TEXT "
        "NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')), revoked_at TEXT)"
    )
    key = "cm_0123456789ab_secret"
    old.execute(
        "INSERT INTO api_keys (key_id, tenant, key_hash) VALUES (?, ?, ?)",
        ("0123456789ab", "acme", hashlib.sha256(key.encode()).hexdigest()),
    )
    old.commit()
    old.close()
    store = TenantStore(path)
    try:
        found = store.authenticate(key)
        assert found is not None and found.scope == "write"
        assert store.create_key("acme")[0].scope == "read"
    finally:
        store.close()


def test_an_address_sending_bad_keys_gets_429_then_waits_even_with_a_good_key(
    client: TestClient,
) -> None:
    bad = bearer("cm_0123456789ab_guess")
    for _ in range(FAILED_AUTH_BURST):
        error_of(client.get("/v1/models", headers=bad), 401, "Unauthorized")
    response = client.get("/v1/models", headers=bad)
    assert "failed authentications/s" in error_of(response, 429, "RateLimited")["message"]
    assert response.headers["Retry-After"] == "10"
    error_of(client.get("/v1/models"), 429, "RateLimited")  # acme's key, from the same address
    assert client.get("/health/ready").status_code == 200  # probes are never limited


def test_keys_sign_artifacts_adopts_a_home_published_before_signing(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest_path = home.index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["signature"]
    manifest_path.write_text(json.dumps(manifest))
    home.signing_key.unlink()  # as a home from before signing has none
    with pytest.raises(IntegrityError, match="is not signed"):
        CreatorIndex.load(home.index_dir)
    assert main(["--home", str(home.root), "keys", "sign-artifacts"]) == 0
    assert f"signed {home.index_dir}" in capsys.readouterr().out
    assert len(CreatorIndex.load(home.index_dir)) == 90
