"""The FastAPI app: a factory whose lifespan loads one verified snapshot; thin routes over it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import anyio
from fastapi import FastAPI

from creatormatch.core import Home, Settings, get_settings
from creatormatch.serving import errors
from creatormatch.serving.limits import (
    FAILED_AUTH_BURST,
    FAILED_AUTH_PER_S,
    BodyLimit,
    ConcurrencyLimit,
    RateLimiter,
)
from creatormatch.serving.metrics import LatencyMiddleware, Metrics
from creatormatch.serving.routes import ROUTERS, docs
from creatormatch.serving.state import ServiceState

log = logging.getLogger("creatormatch.serving")


async def watch(state: ServiceState, metrics: Metrics, *, every_s: float) -> None:
    """Reload when a published artifact changes: a new index, a retrained model, or a champion
    alias moved in MLflow. `state.check` never raises, so nothing found on disk stops this."""
    # A thread of its own: a reload takes seconds, and the request threads are few.
    own = anyio.CapacityLimiter(1)
    while True:
        await asyncio.sleep(every_s)
        outcome = await anyio.to_thread.run_sync(state.check, limiter=own)
        if outcome is not None:
            metrics.reloads.labels(outcome).inc()


def _failures(home: Home, kind: str, unit: str) -> RateLimiter:
    return RateLimiter(
        rate_per_s=FAILED_AUTH_PER_S, burst=FAILED_AUTH_BURST, path=home.limits, kind=kind,
        unit=unit,
    )  # fmt: skip


def limiters(settings: Settings, home: Home) -> tuple[RateLimiter, RateLimiter, RateLimiter]:
    """(per key, per address sending bad keys or sessions, per address failing to sign in),
    shared by the server's processes. Wrong passwords have their own bucket: someone mistyping
    on the page does not lock out the backends that share their address."""
    return (
        RateLimiter(rate_per_s=settings.rate_per_s, burst=settings.burst, path=home.limits),
        _failures(home, "address", "failed authentications"),
        _failures(home, "sign-in", "failed sign-ins"),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app serving `settings.home` (default: `get_settings()`, read once here)."""
    settings = settings or get_settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        state = await anyio.to_thread.run_sync(ServiceState.start, settings)
        app.state.service = state
        buckets = limiters(settings, state.home)
        app.state.rate_limiter, app.state.auth_failures, app.state.sign_in_failures = buckets
        watcher = None
        if settings.reload_interval_s > 0:
            watcher = asyncio.create_task(watch(state, metrics, every_s=settings.reload_interval_s))
        yield
        if watcher is not None:
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher
        state.close()
        for bucket in buckets:
            bucket.close()

    app = FastAPI(
        title="creatormatch",
        version="0.1.0",
        description="Match creators to a brand's ideal customer, score fraud, serve shortlists.",
        lifespan=lifespan,
        docs_url=None,  # served with local assets below, when enabled
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.metrics = metrics
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    if settings.docs_enabled:
        app.include_router(docs.router)
    # Added innermost first: latency sees every request, refused ones included.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ConcurrencyLimit, max_in_flight=settings.max_in_flight)
    app.add_middleware(LatencyMiddleware, metrics=metrics)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process, its settings read afresh from `CREATORMATCH_*`."""
    return create_app(Settings())
