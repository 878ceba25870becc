"""The shared creator catalog: batch upsert (durable before the answer), read, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.features import CreatorRecord
from creatormatch.matching import delete_creator, get_creator, upsert_creators
from creatormatch.serving.auth import Caller, State, Writer
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.schemas import (
    CreatorResponse,
    DeleteResponse,
    FraudReportOut,
    UpsertRequest,
    UpsertResponse,
)
from creatormatch.serving.state import ServiceState

router = APIRouter(prefix="/v1", tags=["creators"])

# `:path`: an id may hold "/" (the records allow it), so reads and deletes take the rest of the
# path, "/" and "%2F" alike.
CreatorId = Annotated[str, Path(min_length=1, max_length=200)]


def _upsert(state: ServiceState, creators: list[CreatorRecord]) -> UpsertResponse:
    with state.write_lock:
        bundle = state.require().bundle
        done = upsert_creators(
            state.home, state.writer(), bundle.index, creators, embedder=state.embedder
        )
        if done.stored:
            state.swap_index(done.index, done.manifest)
    return UpsertResponse(
        stored=done.stored, unchanged=done.unchanged, embedded=done.embedded,
        index_size=len(done.index),
    )  # fmt: skip


def _delete(state: ServiceState, creator_id: str) -> DeleteResponse:
    with state.write_lock:
        bundle = state.require().bundle
        index = delete_creator(
            state.home, state.writer(), bundle.index, creator_id,
            model_id=state.embedder.model_id,
        )  # fmt: skip
        state.swap_index(index, index.manifest_)
    return DeleteResponse(deleted=creator_id, index_size=len(index))


@router.put("/creators", response_model=UpsertResponse, responses=errors(403))
async def upsert(request: UpsertRequest, state: State, _: Writer) -> UpsertResponse:
    """Store up to 1,000 creators: features, embeddings and index are on disk when this answers."""
    return await in_thread(_upsert, state, request.creators)


@router.get("/creators/{creator_id:path}", response_model=CreatorResponse, responses=errors(404))
async def read(creator_id: CreatorId, state: State, _: Caller) -> CreatorResponse:
    """Profile, engineered features and the fraud report with its reasons and evidence."""
    view = await in_thread(get_creator, state.require().bundle.catalog, creator_id)
    fraud = None if view.fraud is None else FraudReportOut.model_validate(view.fraud)
    return CreatorResponse(creator=view.record, features=view.features, fraud=fraud)


@router.delete(
    "/creators/{creator_id:path}", response_model=DeleteResponse, responses=errors(403, 404)
)
async def delete(creator_id: CreatorId, state: State, _: Writer) -> DeleteResponse:
    """Remove a creator from the catalog and the index (published before this answers)."""
    return await in_thread(_delete, state, creator_id)
