"""What every authenticated route shares: the error responses it documents, in one shape, and
how it runs its work off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from creatormatch.serving.schemas import ErrorResponse

P = ParamSpec("P")
T = TypeVar("T")

_DESCRIPTIONS = {
    401: "No API key, or an unknown or revoked one",
    403: "This key's scope does not allow it (a read key changing the catalog)",
    404: "Not found (or it belongs to another tenant)",
    413: "Body over the size cap",
    422: "Invalid request: `fields` names what was wrong",
    429: "Rate limit of this key reached: see Retry-After",
    503: "Not ready, or too many requests in flight",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for `codes` plus the ones every authenticated route can give."""
    every = sorted({401, 413, 422, 429, 503, *codes})
    return {c: {"model": ErrorResponse, "description": _DESCRIPTIONS[c]} for c in every}


async def in_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `work` (the CPU, SQLite and lock-taking part of a route) on a request thread.

    Routes are `async def` and hand only their work to the thread pool, whose limiter admits
    `request_threads` at once in arrival order (set in the app's lifespan). Validating and
    serialising the response then happen on the event loop: with a sync route FastAPI queues that
    step behind every request waiting for a thread, so each answer waited for the whole queue.
    """
    return await run_in_threadpool(work, *args, **kwargs)
