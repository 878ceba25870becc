"""The one place where errors become HTTP responses: one JSON shape, never a traceback.

Serving adds four leaves that only exist at the HTTP edge to creatormatch's exception tree:

    CreatorMatchError
    ├── InvalidInput                 422
    │   └── PayloadTooLarge          413  body over the size cap
    ├── NotFound                     404
    ├── ArtifactError / NotReady     503
    ├── Unauthorized                 401  no key, an unknown key or a revoked one
    ├── RateLimited                  429  with Retry-After
    └── Overloaded                   503  too many requests in flight, with Retry-After
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from creatormatch.core.errors import (
    ArtifactError,
    CreatorMatchError,
    InvalidInput,
    NotFound,
    NotReady,
)
from creatormatch.serving.schemas import ErrorBody, ErrorResponse

log = logging.getLogger("creatormatch.serving")


class PayloadTooLarge(InvalidInput):
    """The request body is larger than the configured cap."""


class Unauthorized(CreatorMatchError):
    """No `Authorization: Bearer <key>` header, or a key that is unknown or revoked."""


class RateLimited(CreatorMatchError):
    """This key sent more requests than its rate allows; `retry_after` says when to come back."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Overloaded(RateLimited):
    """The server has as many requests in flight as it allows."""


STATUS: dict[type[CreatorMatchError], int] = {
    PayloadTooLarge: 413,
    InvalidInput: 422,
    NotFound: 404,
    ArtifactError: 503,
    NotReady: 503,
    Unauthorized: 401,
    Overloaded: 503,
    RateLimited: 429,
}


def error_response(
    status: int,
    kind: str,
    message: str,
    fields: Sequence[str] = (),
    *,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(type=kind, message=message, fields=list(fields)))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def status_of(error: CreatorMatchError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def response_of(error: CreatorMatchError) -> JSONResponse:
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status_of(error), type(error).__name__, str(error), headers=headers)


async def _domain(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CreatorMatchError)
    return response_of(error)


def _field(location: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in location if p not in ("body", "path", "query", "header"))


async def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    fields = [_field(e["loc"]) for e in problems]
    messages = [f"{f or 'body'}: {e['msg']}" for f, e in zip(fields, problems, strict=True)]
    return error_response(422, "InvalidInput", "; ".join(messages)[:2_000], fields[:50])


async def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:  # FastAPI's "error parsing the body": bytes that are not JSON
        message = f"body: expected a UTF-8 JSON document; {error.detail}"
        return error_response(422, "InvalidInput", message, ["body"])
    return error_response(
        error.status_code, "HTTPError", str(error.detail), headers=dict(error.headers or {})
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "InternalError", "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(CreatorMatchError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
