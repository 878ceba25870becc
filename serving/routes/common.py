"""What every authenticated route documents: the error responses it can give, in one shape."""

from __future__ import annotations

from typing import Any

from creatormatch.serving.schemas import ErrorResponse

_DESCRIPTIONS = {
    401: "No API key, or an unknown or revoked one",
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
