"""Sign in and out of the page: a session cookie for a user made with `creatormatch users`.

A wrong email or password is one generic 401 (it does not say which was wrong) and spends a
failure of the address's sign-in bucket (the limiter bad API keys have, a bucket of its own):
past the burst, 429 with Retry-After, before the password is even looked at.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from creatormatch.core import Unauthorized
from creatormatch.serving.auth import SignedInUser, State, address_of
from creatormatch.serving.cookies import SESSION_COOKIE, clear_session, set_session
from creatormatch.serving.limits import RateLimiter
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.workspace_schemas import SessionResponse, SignInRequest

router = APIRouter(prefix="/v1", tags=["session"])

WRONG = "the email or the password is wrong"


@router.post("/session", response_model=SessionResponse, responses=errors())
async def sign_in(
    body: SignInRequest, request: Request, response: Response, state: State
) -> SessionResponse:
    """Sign in: sets the HttpOnly session cookie and the CSRF cookie the page echoes."""
    failures: RateLimiter = request.app.state.sign_in_failures
    address = address_of(request)
    failures.check(address)
    signed_in = await in_thread(
        state.users.sign_in, body.email, body.password, ttl_s=state.settings.session_ttl_s
    )
    if signed_in is None:
        failures.take(address)
        raise Unauthorized(WRONG)
    set_session(response, signed_in, state.settings)
    user = signed_in.session.user
    return SessionResponse(
        email=user.email, tenant=user.tenant, expires_at=signed_in.session.expires_at
    )


@router.get("/session", response_model=SessionResponse, responses=errors(403))
async def who(caller: SignedInUser) -> SessionResponse:
    """The signed-in user (403 for an API key)."""
    assert caller.email is not None and caller.expires_at is not None  # a session's
    return SessionResponse(email=caller.email, tenant=caller.tenant, expires_at=caller.expires_at)


@router.delete("/session", status_code=204, responses=errors(403))
async def sign_out(request: Request, response: Response, state: State, _: SignedInUser) -> None:
    """Sign out: the session ends on the server, and the cookies are cleared."""
    await in_thread(state.users.sign_out, request.cookies[SESSION_COOKIE])
    clear_session(response, state.settings)
