"""The one place where errors become HTTP responses: one JSON shape, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from creatormatch.errors import ArtifactError, CreatorMatchError, InvalidInput, NotFound, NotReady
from serving.schemas import ErrorBody, ErrorResponse

log = logging.getLogger("creatormatch.serving")

STATUS: dict[type[CreatorMatchError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    ArtifactError: 503,
    NotReady: 503,
}


def error_response(
    status: int, kind: str, message: str, fields: Sequence[str] = ()
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(type=kind, message=message, fields=list(fields)))
    return JSONResponse(body.model_dump(), status_code=status)


def status_of(error: CreatorMatchError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


async def _domain(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CreatorMatchError)
    return error_response(status_of(error), type(error).__name__, str(error))


async def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    fields = [".".join(str(p) for p in e["loc"] if p != "body") for e in error.errors()]
    messages = [f"{f or 'body'}: {e['msg']}" for f, e in zip(fields, error.errors(), strict=True)]
    return error_response(422, "InvalidInput", "; ".join(messages), fields)


async def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return error_response(error.status_code, "HTTPError", str(error.detail))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "InternalError", "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(CreatorMatchError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
