"""Users and sessions in `tenants.db`: scrypt hashes, unique emails, hashed session tokens that
expire, and the workspace tables added to a `tenants.db` made before them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from creatormatch.core import Home, InvalidInput, NotFound
from creatormatch.store import (
    TenantStore,
    UserStore,
    Workspace,
    hash_password,
    store_path,
    verify_password,
)


@pytest.fixture()
def users(tmp_path: Path) -> UserStore:
    return UserStore(Workspace.of(Home(tmp_path / "home")))


def test_a_password_hash_is_salted_scrypt_and_verifies_only_its_password() -> None:
    first, second = hash_password("hunter2hunter2"), hash_password("hunter2hunter2")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # a random salt each
    assert verify_password("hunter2hunter2", first) and verify_password("hunter2hunter2", second)
    assert not verify_password("hunter2hunter3", first)
    assert not verify_password("hunter2hunter2", "md5$abc") and not verify_password("x", "")


def test_users_have_unique_emails_across_tenants_and_checked_fields(users: UserStore) -> None:
    user = users.create("acme", "ana@acme.test", "long enough")
    assert (user.tenant, user.email) == ("acme", "ana@acme.test")
    with pytest.raises(InvalidInput, match="exists already"):
        users.create("globex", "ANA@acme.test", "long enough too")
    with pytest.raises(InvalidInput, match="expected an email address"):
        users.create("acme", "not-an-email", "long enough")
    with pytest.raises(InvalidInput, match="password of 8 to 1024 characters, got 5"):
        users.create("acme", "bo@acme.test", "short")
    with pytest.raises(InvalidInput, match="expected a tenant name"):
        users.create("no spaces", "bo@acme.test", "long enough")
    assert [u.email for u in users.users("acme")] == ["ana@acme.test"]


def test_sign_in_gives_a_session_kept_only_as_hashes(users: UserStore, tmp_path: Path) -> None:
    users.create("acme", "ana@acme.test", "long enough")
    assert users.sign_in("ana@acme.test", "wrong password", ttl_s=60) is None
    assert users.sign_in("nobody@acme.test", "long enough", ttl_s=60) is None
    signed = users.sign_in("ana@acme.test", "long enough", ttl_s=60)
    assert signed is not None
    session = users.session(signed.token)
    assert session is not None and session.user.tenant == "acme"
    assert session.csrf_matches(signed.csrf) and not session.csrf_matches(signed.token)
    stored = store_path(Home(tmp_path / "home")).read_bytes()
    assert signed.token.encode() not in stored and signed.csrf.encode() not in stored
    assert users.session("made-up token") is None


def test_an_expired_session_and_a_removed_users_session_open_nothing(users: UserStore) -> None:
    users.create("acme", "ana@acme.test", "long enough")
    expired = users.sign_in("ana@acme.test", "long enough", ttl_s=-1)
    live = users.sign_in("ana@acme.test", "long enough", ttl_s=60)
    assert expired is not None and live is not None
    assert users.session(expired.token) is None and users.session(live.token) is not None
    users.remove("ana@acme.test")
    assert users.session(live.token) is None
    with pytest.raises(NotFound, match="no user"):
        users.remove("ana@acme.test")


def test_a_tenants_db_from_before_the_workspace_gains_its_tables_and_keeps_its_keys(
    tmp_path: Path,
) -> None:
    home = Home(tmp_path / "home")
    tenants = TenantStore.of(home)
    _, key = tenants.create_key("acme")
    tenants.close()
    tables = {
        row[0]
        for row in sqlite3.connect(store_path(home)).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert "users" not in tables
    workspace = Workspace.of(home)
    UserStore(workspace).create("acme", "ana@acme.test", "long enough")
    workspace.close()
    reopened = TenantStore.of(home)
    assert reopened.authenticate(key) is not None
    reopened.close()
