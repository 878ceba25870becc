"""Probes and the Prometheus scrape: no key needed, never rate limited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from creatormatch.serving.auth import State
from creatormatch.serving.metrics import Metrics
from creatormatch.serving.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health/live", response_model=Health)
async def live() -> Health:
    return Health(status="ok")


@router.get("/health/ready", response_model=Health, responses={503: {"model": Health}})
async def ready(state: State) -> Health | JSONResponse:
    """Ready once artifacts are verified and a canary shortlist passed."""
    if state.snapshot is None:
        body = Health(status="not ready", detail=state.problem)
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", detail=state.reload_error)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request, state: State) -> Response:
    """Prometheus text format: latency per route, served versions, index size, reloads."""
    registry: Metrics = request.app.state.metrics
    snapshot = state.snapshot
    if snapshot is not None:
        registry.served(snapshot.versions(), len(snapshot.bundle.index))
    return Response(registry.exposition(), media_type="text/plain; version=0.0.4")
