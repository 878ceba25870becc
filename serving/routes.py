"""HTTP routes: validate, make one service call, return a response model."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from creatormatch.shortlisting import shortlist
from serving.schemas import ErrorResponse, Health, ShortlistRequest, ShortlistResponse
from serving.state import ServiceState

router = APIRouter()


def _state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(_state)]


@router.get("/health/live", response_model=Health)
async def live() -> Health:
    return Health(status="ok")


@router.get("/health/ready", response_model=Health, responses={503: {"model": Health}})
async def ready(state: State) -> Health | JSONResponse:
    if state.bundle is None:
        body = Health(status="not ready", detail=state.problem)
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok")


@router.post(
    "/v1/shortlists",
    response_model=ShortlistResponse,
    responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
def create_shortlist(request: ShortlistRequest, state: State) -> ShortlistResponse:
    result = shortlist(state.require(), request.to_brief())
    return ShortlistResponse.model_validate(result.model_dump())
