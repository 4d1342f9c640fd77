"""The changelog and the versioning policy are served as HTML pages, linked to each other and to the docs."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from app.guides_docs import guides_router, render, slug

ROOT = Path(__file__).resolve().parents[3]


async def get(path: str) -> httpx.Response:
    app = FastAPI()
    app.include_router(guides_router(ROOT))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.get(path)


async def test_changelog_is_served_with_its_releases() -> None:
    page = await get("/docs/changelog")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<h2 id="100--2026-12-06">[1.0.0] — 2026-12-06</h2>' in page.text
    assert '<a href="versioning">docs/versioning.md</a>' in page.text  # the served page, not the file
    assert '<a href="errors">error catalogue</a>' in page.text


async def test_versioning_policy_is_served_with_anchors_and_tables() -> None:
    page = await get("/docs/versioning")
    assert page.status_code == 200
    assert '<h2 id="releases-and-the-breaking-change-gate">' in page.text  # the README links here
    assert "<table>" in page.text and "<td>patch <code>x.y.Z</code></td>" in page.text
    assert '<a href="changelog">CHANGELOG.md</a>' in page.text
    assert '<a href="../docs">API docs</a>' in page.text


def test_markup_in_the_source_is_text_not_html() -> None:
    html = render("# Title\n\n<script>alert(1)</script> and [a](https://example.org/x#y)\n", "t <b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<title>t &lt;b&gt;</title>" in html
    assert '<a href="https://example.org/x#y">a</a>' in html


def test_heading_anchors_match_the_repository_host() -> None:
    assert slug("Releases and the breaking-change gate") == "releases-and-the-breaking-change-gate"
    assert slug("[1.0.0] — 2026-12-06") == "100--2026-12-06"
