"""HTTP routes, one module per resource: validate, make one service call, return a model."""

from fastapi import APIRouter

from creatormatch.serving.routes import (
    campaigns,
    cards,
    creators,
    docs,
    health,
    models,
    outcomes,
    page,
    saved,
    scoring,
    session,
    shortlists,
)

# `saved` before `shortlists`: `GET /v1/shortlists/saved` is the list, not a shortlist id.
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    session.router,
    saved.router,
    shortlists.router,
    creators.router,
    cards.router,
    scoring.router,
    outcomes.router,
    campaigns.router,
    models.router,
    page.router,
)

__all__ = ["ROUTERS", "docs"]
