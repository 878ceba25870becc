"""The shared creator catalog: batch upsert (durable before the answer), read, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.matching import delete_creator, get_creator, upsert_creators
from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import (
    CreatorResponse,
    DeleteResponse,
    FraudReportOut,
    UpsertRequest,
    UpsertResponse,
)

router = APIRouter(prefix="/v1", tags=["creators"])

CreatorId = Annotated[str, Path(min_length=1, max_length=200)]


@router.put("/creators", response_model=UpsertResponse, responses=errors())
def upsert(request: UpsertRequest, state: State, _: Caller) -> UpsertResponse:
    """Store up to 1,000 creators: features, embeddings and index are on disk when this answers."""
    with state.write_lock:
        bundle = state.require().bundle
        done = upsert_creators(
            state.home, state.writer(), bundle.index, request.creators, embedder=state.embedder
        )
        if done.stored:
            state.swap_index(done.index, done.manifest)
    return UpsertResponse(
        stored=done.stored, unchanged=done.unchanged, embedded=done.embedded,
        index_size=len(done.index),
    )  # fmt: skip


@router.get("/creators/{creator_id}", response_model=CreatorResponse, responses=errors(404))
def read(creator_id: CreatorId, state: State, _: Caller) -> CreatorResponse:
    """Profile, engineered features and the fraud report with its reasons and evidence."""
    view = get_creator(state.require().bundle.catalog, creator_id)
    fraud = None if view.fraud is None else FraudReportOut.model_validate(view.fraud)
    return CreatorResponse(creator=view.record, features=view.features, fraud=fraud)


@router.delete("/creators/{creator_id}", response_model=DeleteResponse, responses=errors(404))
def delete(creator_id: CreatorId, state: State, _: Caller) -> DeleteResponse:
    """Remove a creator from the catalog and the index (published before this answers)."""
    with state.write_lock:
        bundle = state.require().bundle
        index = delete_creator(
            state.home, state.writer(), bundle.index, creator_id,
            model_id=state.embedder.model_id,
        )  # fmt: skip
        state.swap_index(index, index.manifest_)
    return DeleteResponse(deleted=creator_id, index_size=len(index))
