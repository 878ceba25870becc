"""Creator cards: what a marketer reads before choosing a creator (serving/cards.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.cards import card
from creatormatch.serving.routes.common import errors, in_thread
from creatormatch.serving.workspace_schemas import CreatorCard

router = APIRouter(prefix="/v1", tags=["creators"])


# `:path`: a creator id may hold "/", as in `/v1/creators`.
@router.get("/cards/{creator_id:path}", response_model=CreatorCard, responses=errors(404))
async def creator_card(
    creator_id: Annotated[str, Path(min_length=1, max_length=200)], state: State, _: Caller
) -> CreatorCard:
    """Profile, engagement against its benchmark, audience, fraud evidence, recent posts."""
    return await in_thread(card, state.require().bundle, creator_id)
