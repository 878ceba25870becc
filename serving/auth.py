"""Who is asking: `Authorization: Bearer <key>` → the key's tenant, then its rate limit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from creatormatch.core import Unauthorized
from creatormatch.serving.limits import RateLimiter
from creatormatch.serving.state import ServiceState
from creatormatch.store import ApiKey

# auto_error=False: a missing header is our Unauthorized (one error shape), not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key from `creatormatch keys create`")


async def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(service)]


async def authenticate(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    if credentials is None:
        raise Unauthorized("expected an `Authorization: Bearer <key>` header, got none")
    key = state.tenants.authenticate(credentials.credentials[:200])
    if key is None:
        raise Unauthorized("the API key is unknown or revoked")
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(key.key_id)
    return key


Caller = Annotated[ApiKey, Depends(authenticate)]
