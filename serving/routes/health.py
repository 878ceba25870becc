"""Probes and the Prometheus scrape: no key needed, never rate limited.

Readiness has three states (docs/decisions/0012). `ok` (200): serving the artifacts published.
`degraded` (200: it still answers, with the last artifacts that loaded): a newer publication was
refused or a manifest is missing; `reload_error` and `detail` say why, and the metrics
`creatormatch_reload_failing` and `creatormatch_manifest_missing` are 1 for as long. `not ready`
(503): nothing loaded yet. No host path is shown: the home reads `$CREATORMATCH_HOME`.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from creatormatch.serving.auth import State
from creatormatch.serving.metrics import Metrics
from creatormatch.serving.schemas import Health
from creatormatch.serving.state import ServiceState
from creatormatch.training import monitor_json

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "not ready"]
    detail: str | None = None
    reload_error: str | None = None


def _problems(state: ServiceState) -> list[str]:
    """What keeps the served artifacts from being the published ones, one line each."""
    missing = [
        f"{name}: its directory has no manifest.json (a publication in progress, or one "
        "interrupted: publish it again)"
        for name in state.missing
    ]
    return [state.reload_error, *missing] if state.reload_error else missing


@router.get("/health/live", response_model=Health)
async def live() -> Health:
    return Health(status="ok")


@router.get("/health/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(state: State) -> Readiness | JSONResponse:
    """Ready once artifacts are verified and a canary shortlist passed; degraded while newer
    artifacts are published but not served."""
    if state.snapshot is None:
        body = Readiness(status="not ready", detail=state.problem, reload_error=state.reload_error)
        return JSONResponse(body.model_dump(), status_code=503)
    problems = _problems(state)
    if not problems:
        return Readiness(status="ok")
    return Readiness(status="degraded", detail="; ".join(problems), reload_error=state.reload_error)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request, state: State) -> Response:
    """Prometheus text format: latency per route, served versions, index size, reloads, and
    the last drift monitor run."""
    registry: Metrics = request.app.state.metrics
    snapshot = state.snapshot
    if snapshot is not None:
        registry.served(snapshot.versions(), len(snapshot.bundle.index))
    registry.watched(failing=state.reload_error is not None, missing=state.missing)
    registry.monitored(monitor_json(state.home))
    return Response(registry.exposition(), media_type="text/plain; version=0.0.4")
