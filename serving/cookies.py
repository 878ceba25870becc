"""The page's session cookies: their names and flags, set at sign-in and cleared at sign-out.

`cm_session` holds the session token: HttpOnly (no script reads it), SameSite=Strict (no other
site's page sends it), Secure unless `Settings.cookie_secure` is off for plain http on localhost.
`cm_csrf` holds the session's CSRF token and is readable by the page's script, which echoes it in
the `X-CSRF-Token` header of every state-changing request (double submit; the server also checks
it against the hash kept with the session, so a cookie planted by another site does not pass).
"""

from __future__ import annotations

from fastapi import Response

from creatormatch.core import Settings
from creatormatch.store import SignedIn

SESSION_COOKIE = "cm_session"
CSRF_COOKIE = "cm_csrf"
CSRF_HEADER = "X-CSRF-Token"


def set_session(response: Response, signed_in: SignedIn, settings: Settings) -> None:
    max_age = int(settings.session_ttl_s)
    for name, value, httponly in (
        (SESSION_COOKIE, signed_in.token, True),
        (CSRF_COOKIE, signed_in.csrf, False),
    ):
        response.set_cookie(
            name, value, max_age=max_age, path="/", secure=settings.cookie_secure,
            httponly=httponly, samesite="strict",
        )  # fmt: skip


def clear_session(response: Response, settings: Settings) -> None:
    for name, httponly in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(
            name, path="/", secure=settings.cookie_secure, httponly=httponly, samesite="strict"
        )
