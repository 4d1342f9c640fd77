"""Browsers on another origin and clients behind a proxy: CORS for configured origins only, and the
served contract and docs name the address clients reach."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.runtime import build_runtime
from tests.conftest import make_settings

APP_ORIGIN = "https://app.bank.example"


@pytest.fixture
async def serve(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Builds the platform with extra settings and yields a client to it."""
    opened: list[object] = []

    async def start(**overrides: object) -> httpx.AsyncClient:
        settings = make_settings(database_url, **overrides)
        app = create_app(settings, runtime=build_runtime(settings), start_runtime=False)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test")
        opened.append(client)
        return client

    yield start
    for client in opened:
        await client.aclose()  # type: ignore[attr-defined]


def preflight(origin: str, method: str = "POST", headers: str = "authorization,idempotency-key,content-type") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}


async def test_a_configured_origin_passes_preflight_with_the_contract_headers(serve) -> None:  # type: ignore[no-untyped-def]
    client = await serve(cors_origins=f"{APP_ORIGIN}, https://admin.bank.example")
    answer = await client.options("/v1/sessions", headers=preflight(APP_ORIGIN, headers="x-step-up-id,x-device-id"))
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "POST" in answer.headers["access-control-allow-methods"]
    allowed = answer.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "idempotency-key", "x-step-up-id", "x-device-id", "content-type"):
        assert header in allowed
    assert "access-control-allow-credentials" not in answer.headers  # bearer tokens, no cookies

    # the real request: the page may read the request id and the problem's Retry-After
    live = await client.get("/v1/health/live", headers={"Origin": APP_ORIGIN})
    assert live.status_code == 200 and live.headers["access-control-allow-origin"] == APP_ORIGIN
    exposed = live.headers["access-control-expose-headers"].lower()
    for header in ("x-request-id", "retry-after", "location", "idempotent-replayed", "deprecation", "sunset"):
        assert header in exposed


async def test_another_origin_is_refused_and_nothing_is_allowed_by_default(serve) -> None:  # type: ignore[no-untyped-def]
    configured = await serve(cors_origins=APP_ORIGIN)
    refused = await configured.options("/v1/sessions", headers=preflight("https://evil.example"))
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    unlisted_header = await configured.options("/v1/sessions", headers=preflight(APP_ORIGIN, headers="x-secret"))
    assert unlisted_header.status_code == 400

    default = await serve()
    answer = await default.options("/v1/sessions", headers=preflight(APP_ORIGIN))
    assert "access-control-allow-origin" not in answer.headers
    plain = await default.get("/v1/health/live", headers={"Origin": APP_ORIGIN})
    assert "access-control-allow-origin" not in plain.headers


async def test_served_contract_and_docs_name_the_public_url(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    default = await serve(http_port=8123)
    assert (await default.get("/openapi.json")).json()["servers"][0]["url"] == "http://127.0.0.1:8123"

    page = tmp_path / "api.html"
    page.write_text('<script>const state = {"servers":[{"url":"http://127.0.0.1:8000"}]}</script>')
    public = await serve(public_url="https://api.bank.example/darca/", docs_dir=str(tmp_path))
    served = (await public.get("/openapi.json")).json()
    assert served["servers"] == [{"url": "https://api.bank.example/darca", "description": "DARCA sandbox"}]
    docs = await public.get("/docs")
    assert docs.status_code == 200
    assert "https://api.bank.example/darca" in docs.text and "127.0.0.1:8000" not in docs.text


def test_a_public_url_or_origin_that_is_not_one_is_refused() -> None:
    for bad in ({"public_url": "ftp://x"}, {"public_url": "https://api.example/?q=1"},
                {"cors_origins": "https://app.example/path"}, {"cors_origins": "app.example"}):
        with pytest.raises(ValueError):
            make_settings("sqlite+aiosqlite:///x.db", **bad)
