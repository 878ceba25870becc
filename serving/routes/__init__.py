"""HTTP routes, one module per resource: validate, make one service call, return a model."""

from fastapi import APIRouter

from creatormatch.serving.routes import (
    creators,
    health,
    models,
    outcomes,
    page,
    scoring,
    shortlists,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    shortlists.router,
    creators.router,
    scoring.router,
    outcomes.router,
    models.router,
    page.router,
)

__all__ = ["ROUTERS"]
