"""The guides served as HTML: quickstart, the two SDKs, changelog and versioning policy (/docs/<page>).

Rendered here from the repository's Markdown (`docs/quickstart.md`, the SDKs' READMEs, `CHANGELOG.md`,
`docs/versioning.md`; CommonMark with tables, raw
HTML off), so they need no docs build and no Node.js. Headings get GitHub-style anchors, so a link such as
`docs/versioning.md#releases-and-the-breaking-change-gate` works the same in the repository and served;
links between the served pages (and to the error catalogue) are rewritten to relative URLs, which hold
behind a public URL with a path prefix as well.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markdown_it import MarkdownIt

# URL -> (source file relative to the repository, page title)
GUIDES = {
    "/docs/quickstart": ("docs/quickstart.md", "DARCA quickstart"),
    "/docs/sdk-typescript": ("sdks/typescript/README.md", "DARCA TypeScript SDK"),
    "/docs/sdk-python": ("sdks/python/README.md", "DARCA Python SDK"),
    "/docs/changelog": ("CHANGELOG.md", "DARCA changelog"),
    "/docs/versioning": ("docs/versioning.md", "DARCA versioning and deprecation"),
}
# what the Markdown sources link to (from the repository root or from docs/) -> the served page, relative
# to /docs/<page>
_LINKS = {
    "CHANGELOG.md": "changelog", "../CHANGELOG.md": "changelog",
    "docs/versioning.md": "versioning", "versioning.md": "versioning",
    "docs/quickstart.md": "quickstart", "quickstart.md": "quickstart",
    "sdks/typescript/README.md": "sdk-typescript", "sdks/python/README.md": "sdk-python",
    "specs/problems.yaml": "errors", "../specs/problems.yaml": "errors",
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.5}}
code{{background:#f3f3f3;padding:0 .2em}}pre{{background:#f3f3f3;padding:.6em;overflow:auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}}</style>
</head><body>
<nav><a href="quickstart">Quickstart</a> · <a href="../docs">API docs</a> · <a href="events">Event docs</a>
· <a href="errors">Error catalogue</a> · <a href="sdk-typescript">TypeScript SDK</a> · <a href="sdk-python">Python SDK</a>
· <a href="changelog">Changelog</a> · <a href="versioning">Versioning</a></nav>
{body}
</body></html>"""


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _link(href: str) -> str:
    target, _, fragment = href.partition("#")
    served = _LINKS.get(target)
    if served is None:
        return href
    return f"{served}#{fragment}" if fragment else served


def render(markdown: str, title: str) -> str:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            token.attrSet("id", slug(tokens[i + 1].content))
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", _link(str(child.attrGet("href") or "")))
    body = md.renderer.render(tokens, md.options, {})
    return PAGE.format(title=escape(title), body=body)


@lru_cache(maxsize=len(GUIDES))
def _page(path: Path, title: str) -> str:
    """A guide rendered on its first request and kept for the process: building an app (each test's
    platform, each worker) renders nothing."""
    return render(path.read_text(encoding="utf-8"), title)


def guides_router(root: Path) -> APIRouter:
    router = APIRouter()

    def add(url: str, source: str, title: str) -> None:
        async def guide() -> HTMLResponse:
            return HTMLResponse(_page(root / source, title))

        router.add_api_route(url, guide, methods=["GET"], include_in_schema=False, name=f"docs:{source}")

    for url, (source, title) in GUIDES.items():
        add(url, source, title)
    return router
