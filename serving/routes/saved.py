"""Named shortlists, the tenant's work items: save, list, reopen, pin and remove (the rest is
re-ranked), export as CSV or XLSX, share a read-only link inside the tenant, delete."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from creatormatch.serving import exports, worklists
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.workspace_schemas import (
    EditRequest,
    NamedShortlistResponse,
    NamedShortlists,
    SaveRequest,
    ShareResponse,
)

router = APIRouter(prefix="/v1/shortlists", tags=["saved shortlists"])

SavedId = Annotated[str, Path(min_length=1, max_length=64)]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/saved", response_model=NamedShortlists, responses=errors())
async def list_saved(state: State, caller: Caller) -> NamedShortlists:
    """Your tenant's saved shortlists, the most recently changed first."""
    saved = await in_thread(state.named.listing, caller.tenant)
    return NamedShortlists(shortlists=[worklists.summary_of(s) for s in saved])


@router.post(
    "/saved", status_code=201, response_model=NamedShortlistResponse, responses=errors(404)
)
async def save(request: SaveRequest, state: State, caller: Caller) -> NamedShortlistResponse:
    """Name and keep a shortlist: ranked now for `brief`, or the one `shortlist_id` kept."""
    who = caller.email or f"key {caller.subject}"
    saved = await in_thread(worklists.save, state, caller.tenant, who, request)
    return worklists.response_of(saved)


@router.get("/saved/{saved_id}", response_model=NamedShortlistResponse, responses=errors(404))
async def reopen(saved_id: SavedId, state: State, caller: Caller) -> NamedShortlistResponse:
    """A saved shortlist with its spend against the budget; another tenant's is 404."""
    return worklists.response_of(await in_thread(state.named.get, caller.tenant, saved_id))


@router.patch("/saved/{saved_id}", response_model=NamedShortlistResponse, responses=errors(404))
async def edit(
    saved_id: SavedId, request: EditRequest, state: State, caller: Caller
) -> NamedShortlistResponse:
    """Pin, unpin, remove, restore (the rest is re-ranked), rename, or book for a campaign."""
    saved = await in_thread(worklists.edit, state, caller.tenant, saved_id, request)
    return worklists.response_of(saved)


@router.delete("/saved/{saved_id}", status_code=204, responses=errors(404))
async def delete(saved_id: SavedId, state: State, caller: Caller) -> None:
    await in_thread(state.named.delete, caller.tenant, saved_id)


def _filename(name: str, extension: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")[:80] or "shortlist"
    return f"{stem}.{extension}"


@router.get(
    "/saved/{saved_id}/export",
    response_class=Response,
    responses={**errors(404), 200: {"content": {m: {} for m in MEDIA.values()}}},
)
async def export(
    saved_id: SavedId,
    state: State,
    caller: Caller,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
) -> Response:
    """The list as a CSV file, or an XLSX workbook with a summary sheet (brief, spend)."""
    saved = worklists.response_of(await in_thread(state.named.get, caller.tenant, saved_id))
    write = exports.to_csv if format == "csv" else exports.to_xlsx
    content = await in_thread(write, saved)
    disposition = f'attachment; filename="{_filename(saved.name, format)}"'
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.post("/saved/{saved_id}/share", response_model=ShareResponse, responses=errors(404))
async def share(saved_id: SavedId, state: State, caller: Caller) -> ShareResponse:
    """A read-only link for signed-in users of your tenant (sharing again replaces it)."""
    token = await in_thread(state.named.share, caller.tenant, saved_id)
    return ShareResponse(token=token, url=f"/#shared={token}")


@router.get("/shared/{token}", response_model=NamedShortlistResponse, responses=errors(404))
async def shared(
    token: Annotated[str, Path(min_length=1, max_length=64)], state: State, caller: Caller
) -> NamedShortlistResponse:
    """The shortlist a share link opens, read-only; outside its tenant the link is 404."""
    saved = await in_thread(state.named.shared, caller.tenant, token)
    return worklists.response_of(saved, read_only=True)
