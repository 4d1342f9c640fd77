"""Serves the built contract docs at /docs and /docs/events (placeholder until the docs build lands)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

NOT_BUILT = """<!doctype html><html><head><meta charset="utf-8"><title>DARCA docs not built</title></head>
<body><h1>The DARCA API docs are not built yet</h1>
<p>Run <code>make docs</code> (needs Node.js and npm) and reload this page.</p></body></html>"""


def docs_router(build_dir: Path) -> APIRouter:
    router = APIRouter()

    def page(name: str) -> HTMLResponse:
        path = build_dir / name
        if path.is_file():
            return HTMLResponse(path.read_text(encoding="utf-8"))
        return HTMLResponse(NOT_BUILT, status_code=200)

    @router.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return page("api.html")

    @router.get("/docs/events", include_in_schema=False)
    async def event_docs() -> HTMLResponse:
        return page("events.html")

    return router
