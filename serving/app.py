"""The FastAPI app: a factory whose lifespan loads one verified snapshot; thin routes over it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import anyio
from fastapi import FastAPI

from creatormatch.core import Settings, get_settings
from creatormatch.serving import errors
from creatormatch.serving.limits import BodyLimit, ConcurrencyLimit, RateLimiter
from creatormatch.serving.metrics import LatencyMiddleware, Metrics
from creatormatch.serving.routes import ROUTERS
from creatormatch.serving.state import ServiceState

log = logging.getLogger("creatormatch.serving")


async def watch(state: ServiceState, metrics: Metrics, *, every_s: float) -> None:
    """Reload when a published artifact changes: a new index, a retrained model, or a champion
    alias moved in MLflow."""
    # A thread of its own: a reload takes seconds, and the request threads are few.
    own = anyio.CapacityLimiter(1)
    while True:
        await asyncio.sleep(every_s)
        await anyio.to_thread.run_sync(state.follow_registry, limiter=own)
        if await anyio.to_thread.run_sync(state.stale, limiter=own):
            loaded = await anyio.to_thread.run_sync(state.reload, limiter=own)
            metrics.reloads.labels("swapped" if loaded else "refused").inc()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app serving `settings.home` (default: `get_settings()`, read once here)."""
    settings = settings or get_settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        state = await anyio.to_thread.run_sync(ServiceState.start, settings)
        app.state.service = state
        watcher = None
        if settings.reload_interval_s > 0:
            watcher = asyncio.create_task(watch(state, metrics, every_s=settings.reload_interval_s))
        yield
        if watcher is not None:
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher
        state.close()

    app = FastAPI(
        title="creatormatch",
        version="0.1.0",
        description="Match creators to a brand's ideal customer, score fraud, serve shortlists.",
        lifespan=lifespan,
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.metrics = metrics
    app.state.rate_limiter = RateLimiter(rate_per_s=settings.rate_per_s, burst=settings.burst)
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # Added innermost first: latency sees every request, refused ones included.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ConcurrencyLimit, max_in_flight=settings.max_in_flight)
    app.add_middleware(LatencyMiddleware, metrics=metrics)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process, its settings read afresh from `CREATORMATCH_*`."""
    return create_app(Settings())
