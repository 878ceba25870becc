"""`/docs` (Swagger UI) and `/redoc` with their scripts and styles served by the app itself, so
the API's documentation renders without a network (FastAPI's defaults load them from a CDN).

The files come from the `fastapi-offline` package (MIT), which ships Swagger UI's and ReDoc's
built bundles; this module serves them under `/docs/assets/`, and only them. Included by the app
factory when `Settings.docs_enabled` is on.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from creatormatch.core import NotFound

router = APIRouter(include_in_schema=False)

ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
TITLE, OPENAPI = "creatormatch", "/openapi.json"


@router.get("/docs")
async def swagger() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI, title=f"{TITLE} — API", oauth2_redirect_url=None,
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon.png",
    )  # fmt: skip


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI, title=f"{TITLE} — API reference",
        redoc_js_url="/docs/assets/redoc.standalone.js",
        redoc_favicon_url="/docs/assets/favicon.png", with_google_fonts=False,
    )  # fmt: skip


@router.get("/docs/assets/{name}")
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"no docs asset {name!r}; expected one of {sorted(ASSETS)}")
    return FileResponse(ASSETS_DIR / name, media_type=ASSETS[name])
