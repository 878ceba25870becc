"""People who sign in to the page: one tenant each, a scrypt password hash, server-side sessions.

A session is a random token held by the browser in an HttpOnly cookie; the store keeps only its
sha256 (a stolen `tenants.db` opens no session), with the hash of the session's CSRF token and
an expiry. Sign-in always derives a scrypt key, for unknown emails too, so the time it takes
does not tell which emails exist. Passwords are never stored, logged or returned.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from functools import cache

from creatormatch.core import InvalidInput, NotFound
from creatormatch.store.passwords import hash_password, verify_password
from creatormatch.store.tenants import check_tenant
from creatormatch.store.workspace import Workspace

MIN_PASSWORD, MAX_PASSWORD = 8, 1_024
EMAIL_PATTERN = r"[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s.]{1,63}"
_USER_COLUMNS = "user_id, tenant, email, created_at"  # User's fields, in order


@dataclass(frozen=True)
class User:
    user_id: str
    tenant: str
    email: str
    created_at: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf_hash: str
    expires_at: float

    def csrf_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.csrf_hash, _digest(token))


@dataclass(frozen=True)
class SignedIn:
    """A new session: the tokens go to the browser once and are never stored as they are."""

    session: Session
    token: str
    csrf: str


@cache
def _dummy_hash() -> str:
    """Verified against when an email is unknown, so a miss costs what a hit costs (made on
    first use: a scrypt hash takes ~50 ms, too long for every import)."""
    return hash_password(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_email(email: str) -> str:
    if len(email) > 320 or not re.fullmatch(EMAIL_PATTERN, email):
        raise InvalidInput(f"expected an email address like name@example.com, got {email[:80]!r}")
    return email


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"expected a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters, got "
            f"{len(password)}"
        )
    return password


class UserStore:
    def __init__(self, workspace: Workspace) -> None:
        self._db = workspace

    def create(self, tenant: str, email: str, password: str) -> User:
        """A new user of `tenant`; an email already in use (by any tenant) is refused."""
        check_tenant(tenant)
        check_email(email)
        check_password(password)
        user_id = uuid.uuid4().hex
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone():
                raise InvalidInput(f"a user with email {email!r} exists already")
            db.execute(
                "INSERT INTO users (user_id, tenant, email, password_hash) VALUES (?, ?, ?, ?)",
                (user_id, tenant, email, hash_password(password)),
            )
        return self._user("user_id", user_id)

    def _user(self, column: str, value: str) -> User:
        rows = self._db.run(f"SELECT {_USER_COLUMNS} FROM users WHERE {column} = ?", (value,))
        if not rows:
            raise NotFound(f"no user with {column} {value!r}")
        return User(*rows[0])

    def users(self, tenant: str | None = None) -> list[User]:
        where, params = ("WHERE tenant = ?", (tenant,)) if tenant is not None else ("", ())
        rows = self._db.run(
            f"SELECT {_USER_COLUMNS} FROM users {where} ORDER BY tenant, email", params
        )
        return [User(*row) for row in rows]

    def remove(self, email: str) -> User:
        """Delete a user and end their sessions."""
        user = self._user("email", email)
        with self._db.transaction() as db:
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user.user_id,))
            db.execute("DELETE FROM users WHERE user_id = ?", (user.user_id,))
        return user

    def sign_in(self, email: str, password: str, *, ttl_s: float) -> SignedIn | None:
        """A new session if `password` is the user's, else None (unknown email or wrong
        password alike)."""
        rows = self._db.run(
            f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE email = ?", (email[:320],)
        )
        stored = rows[0][-1] if rows else _dummy_hash()
        if not verify_password(password[:MAX_PASSWORD], stored) or not rows:
            return None
        user = User(*rows[0][:-1])
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.time()
        with self._db.transaction() as db:
            db.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                (_digest(token), user.user_id, _digest(csrf), now + ttl_s),
            )
        return SignedIn(Session(user, _digest(csrf), now + ttl_s), token, csrf)

    def session(self, token: str) -> Session | None:
        """The live session of `token`, else None (unknown, expired, or its user removed)."""
        rows = self._db.run(
            "SELECT u.user_id, u.tenant, u.email, u.created_at, s.csrf_hash, s.expires_at "
            "FROM sessions AS s JOIN users AS u USING (user_id) "
            "WHERE s.token_hash = ?",
            (_digest(token[:200]),),
        )
        if not rows or rows[0][-1] <= time.time():
            return None
        row = rows[0]
        return Session(User(*row[:4]), row[4], float(row[5]))

    def sign_out(self, token: str) -> None:
        self._db.run("DELETE FROM sessions WHERE token_hash = ?", (_digest(token[:200]),))
