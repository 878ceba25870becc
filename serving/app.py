"""The FastAPI app: a factory whose lifespan loads one bundle; thin routes over the service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from creatormatch.settings import Settings, get_settings
from serving import errors, routes
from serving.state import ServiceState


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = ServiceState.start(settings)
        yield
        app.state.service.close()

    app = FastAPI(
        title="creatormatch",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    errors.install(app)
    app.include_router(routes.router)
    return app
