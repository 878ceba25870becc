"""Who is asking: `Authorization: Bearer <key>` → the key's tenant, then its rate limit.

An address that sent too many bad keys is refused (429) before its key is looked at, so keys
cannot be guessed at the speed of the server. Writing the shared creator catalog takes a key
with the `write` scope (`Writer`); every other route takes any live key (`Caller`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from creatormatch.core import Forbidden, Unauthorized
from creatormatch.serving.limits import RateLimiter
from creatormatch.serving.state import ServiceState
from creatormatch.store import WRITE, ApiKey

# auto_error=False: a missing header is our Unauthorized (one error shape), not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key from `creatormatch keys create`")


async def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(service)]


def _key_of(state: ServiceState, credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    if credentials is None:
        raise Unauthorized("expected an `Authorization: Bearer <key>` header, got none")
    key = state.tenants.authenticate(credentials.credentials[:200])
    if key is None:
        raise Unauthorized("the API key is unknown or revoked")
    return key


async def authenticate(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    failures: RateLimiter = request.app.state.auth_failures
    address = request.client.host if request.client is not None else "unknown"
    failures.check(address)
    try:
        key = _key_of(state, credentials)
    except Unauthorized:
        failures.take(address)  # 429 instead once this address has no failure left
        raise
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(key.key_id)
    return key


Caller = Annotated[ApiKey, Depends(authenticate)]


async def catalog_writer(caller: Caller) -> ApiKey:
    """The caller, if its key may write the shared creator catalog."""
    if caller.scope != WRITE:
        raise Forbidden(
            f"expected a key with scope {WRITE!r} to write the shared creator catalog, got a "
            f"{caller.scope!r} key of tenant {caller.tenant!r}; an operator creates one with "
            f"`creatormatch keys create --tenant {caller.tenant} --scope {WRITE}`"
        )
    return caller


Writer = Annotated[ApiKey, Depends(catalog_writer)]
