"""The one place where errors become HTTP responses: one JSON shape, never a traceback.

`STATUS` maps creatormatch's exception tree (drawn, with these statuses, in
`creatormatch.core.errors`) to HTTP; an error it maps to 500 is a bug, logged with its traceback
and answered like any unexpected error.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from creatormatch.core import (
    ArtifactError,
    CreatorMatchError,
    Forbidden,
    InvalidInput,
    NotFitted,
    NotFound,
    NotReady,
    Overloaded,
    PayloadTooLarge,
    RateLimited,
    Throttled,
    Unauthorized,
)
from creatormatch.serving.schemas import ErrorBody, ErrorResponse

log = logging.getLogger("creatormatch.serving")

# The most specific class of an error's MRO that is named here gives its status.
STATUS: dict[type[CreatorMatchError], int] = {
    InvalidInput: 422,
    PayloadTooLarge: 413,
    NotFound: 404,
    Unauthorized: 401,
    Forbidden: 403,
    Throttled: 503,
    RateLimited: 429,
    Overloaded: 503,
    ArtifactError: 503,
    NotReady: 503,
    NotFitted: 500,
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
    if isinstance(error, Throttled):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status_of(error), type(error).__name__, str(error), headers=headers)


async def _domain(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CreatorMatchError)
    if status_of(error) == 500:
        return await _unexpected(request, error)
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
