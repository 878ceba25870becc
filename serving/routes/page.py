"""The discovery page at `/`: static HTML and JavaScript, no build step, no network."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from creatormatch.core import NotFound

router = APIRouter(include_in_schema=False)

PAGE = Path(__file__).resolve().parent.parent / "page"
SCRIPTS = ("api.js", "app.js", "cards.js", "report.js", "results.js", "saved.js", "session.js")
ASSETS = {"style.css": "text/css", **dict.fromkeys(SCRIPTS, "text/javascript")}


@router.get("/")
async def index() -> FileResponse:
    return FileResponse(PAGE / "index.html", media_type="text/html")


@router.get("/page/{name}")
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"no page asset {name!r}; expected one of {sorted(ASSETS)}")
    return FileResponse(PAGE / name, media_type=ASSETS[name])
