"""Serves the contract docs built by `make docs` (tools/docs/build.py) at /docs and /docs/events.

The pages are self-contained HTML (viewer inlined, hash-based navigation such as /docs#/assets), so
one route per page is enough. Each request reads the file again: a rebuild shows without a restart.
The pages are built from the bundled contract, whose server is the local `make run` address; a
deployment with another public URL gets its own address in the page.
When a page is not built the route answers 503 Service Unavailable with an HTML page saying how to
build it: the docs are genuinely unavailable in that deployment (link checkers and monitors see it),
and browsers still show the explanation.
Mount it on an app created with docs_url=None, or FastAPI's own Swagger UI answers /docs first.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

PAGES = {"/docs": ("api.html", "API docs"), "/docs/events": ("events.html", "event docs")}

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DARCA {what} not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The DARCA {what} are not built</h1>
<p><code>{file}</code> is missing from the docs folder. Build the docs with <code>make docs</code>
(needs Node.js and npm, which install redocly), then reload this page.</p>
</body></html>"""


def docs_router(build_dir: Path, *, servers: Mapping[str, str] | None = None) -> APIRouter:
    """`servers` maps the server URL the pages were built with to the one this deployment publishes."""
    router = APIRouter()
    moved = {old: new for old, new in (servers or {}).items() if old != new}

    def add_page(url: str, file_name: str, what: str) -> None:
        async def page() -> Response:
            path = build_dir / file_name
            if path.is_file():
                if not moved:
                    return FileResponse(path, media_type="text/html; charset=utf-8")
                html = path.read_text(encoding="utf-8")
                for old, new in moved.items():
                    html = html.replace(old, escape(new))
                return HTMLResponse(html)
            # the file name only: no server paths in a public page
            body = NOT_BUILT.format(what=escape(what), file=escape(file_name))
            # no-store: once built, the real page must replace this one at the next load
            return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})

        router.add_api_route(url, page, methods=["GET"], include_in_schema=False, name=f"docs:{file_name}")

    for url, (file_name, what) in PAGES.items():
        add_page(url, file_name, what)
    return router
