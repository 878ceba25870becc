"""Who is asking: an API key (`Authorization: Bearer <key>`, for backends) or a signed-in
session cookie (the page), each resolved to a `Principal` of one tenant, then rate limited.

A request with an Authorization header is judged by its key alone; one without is judged by its
session cookie (`serving/cookies.py`). A cookie is sent by the browser on its own, so a
state-changing request (anything but GET, HEAD, OPTIONS) signed in by cookie must also carry
the session's CSRF token in `X-CSRF-Token` (403 otherwise); keys need no such token.

An address that sent too many bad keys, session tokens or passwords is refused (429) before its
credentials are looked at, so they cannot be guessed at the speed of the server. Writing the
shared creator catalog takes a key with the `write` scope (`Writer`); a signed-in user reads it
as a `read` key does; every other route takes any live key or session (`Caller`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from creatormatch.core import Forbidden, Unauthorized
from creatormatch.serving.cookies import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from creatormatch.serving.limits import RateLimiter
from creatormatch.serving.state import ServiceState
from creatormatch.store import READ, WRITE, Session

# auto_error=False: a missing credential is our Unauthorized (one error shape), not FastAPI's.
_bearer = HTTPBearer(auto_error=False, description="An API key from `creatormatch keys create`")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="A session from `POST /v1/session`"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """Whom a request acts for: a tenant, a scope, and the key or user its rate limit counts."""

    tenant: str
    scope: str
    subject: str
    email: str | None = None  # signed-in users only, as is when their session ends
    expires_at: float | None = None


async def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(service)]


def address_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _key_principal(state: ServiceState, credentials: HTTPAuthorizationCredentials) -> Principal:
    key = state.tenants.authenticate(credentials.credentials[:200])
    if key is None:
        raise Unauthorized("the API key is unknown or revoked")
    return Principal(tenant=key.tenant, scope=key.scope, subject=key.key_id)


def _session_of(state: ServiceState, token: str | None) -> Session:
    if token is None:
        raise Unauthorized(
            "expected an `Authorization: Bearer <key>` header or a session cookie "
            "(sign in with `POST /v1/session`), got neither"
        )
    session = state.users.session(token)
    if session is None:
        raise Unauthorized("the session has expired or was signed out: sign in again")
    return session


def check_csrf(request: Request, session: Session) -> None:
    """Refuse a state-changing request whose header does not echo the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not header or header != cookie or not session.csrf_matches(header):
        raise Forbidden(
            f"expected the {CSRF_HEADER} header to echo the {CSRF_COOKIE} cookie on a "
            f"{request.method} request signed in by cookie; got "
            f"{'a different one' if header else 'none'}"
        )


def _principal(
    request: Request,
    state: ServiceState,
    credentials: HTTPAuthorizationCredentials | None,
    token: str | None,
) -> Principal:
    failures: RateLimiter = request.app.state.auth_failures
    address = address_of(request)
    failures.check(address)
    try:
        if credentials is not None:
            return _key_principal(state, credentials)
        session = _session_of(state, token)
    except Unauthorized:
        failures.take(address)  # 429 instead once this address has no failure left
        raise
    check_csrf(request, session)
    user = session.user
    return Principal(
        tenant=user.tenant, scope=READ, subject=f"user:{user.user_id}", email=user.email,
        expires_at=session.expires_at,
    )  # fmt: skip


async def authenticate(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    principal = _principal(request, state, credentials, token)
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(principal.subject)
    return principal


Caller = Annotated[Principal, Depends(authenticate)]


async def signed_in(caller: Caller) -> Principal:
    """The caller, if signed in by session cookie (the routes of the session itself)."""
    if caller.email is None:
        raise Forbidden("expected a session signed in by cookie, got an API key")
    return caller


SignedInUser = Annotated[Principal, Depends(signed_in)]


async def catalog_writer(caller: Caller) -> Principal:
    """The caller, if its key may write the shared creator catalog."""
    if caller.scope != WRITE:
        raise Forbidden(
            f"expected a key with scope {WRITE!r} to write the shared creator catalog, got a "
            f"{caller.scope!r} {'session' if caller.email else 'key'} of tenant "
            f"{caller.tenant!r}; an operator creates one with "
            f"`creatormatch keys create --tenant {caller.tenant} --scope {WRITE}`"
        )
    return caller


Writer = Annotated[Principal, Depends(catalog_writer)]
