"""Bad input of every kind at the HTTP level gets an RFC 9457 problem with a stable code, never
FastAPI's `{"detail": ...}`, never HTML, and never a 500 unless our own code failed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from app.main import create_app, default_handlers
from app.runtime import build_runtime
from core.platform.context import RequestContext
from generated.openapi import models
from handlers.assets import AssetsHandler
from tests.conftest import OPERATOR_KEY, Platform, make_settings

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"
NEW_ASSET = {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}


def admin(key: str) -> dict[str, str]:
    return {"X-API-Key": OPERATOR_KEY, "Idempotency-Key": key}


def problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert {"type", "title", "status", "code", "instance", "request_id"} <= body.keys()
    assert body["request_id"] == response.headers["x-request-id"]
    return body


@asynccontextmanager
async def serving(app: object) -> AsyncIterator[httpx.AsyncClient]:
    fastapi_app = app.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        fastapi_app.router.lifespan_context(fastapi_app),
        httpx.AsyncClient(transport=transport, base_url="http://darca.test") as client,
    ):
        yield client


async def test_unknown_path(platform: Platform) -> None:
    body = problem(await platform.client.get("/v1/no-such-thing"), 404, "ROUTE_NOT_FOUND")
    assert body["instance"] == "/v1/no-such-thing"


async def test_wrong_method_names_every_allowed_method(platform: Platform) -> None:
    problem(await platform.client.delete("/v1/assets"), 405, "METHOD_NOT_ALLOWED")
    response = await platform.client.put("/v1/assets")
    problem(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"  # both operations of the path, not just the first route
    response = await platform.client.post("/v1/meta")
    problem(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize("raw", [b'{"code": "SOL",', b"\xff\xfe not utf-8", b""])
async def test_malformed_json(platform: Platform, raw: bytes) -> None:
    response = await platform.client.post(
        "/v1/assets", content=raw, headers={**admin("malformed"), "Content-Type": "application/json"}
    )
    problem(response, 400, "MALFORMED_JSON")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/xml"])
async def test_wrong_content_type(platform: Platform, content_type: str | None) -> None:
    headers = admin("media") | ({"Content-Type": content_type} if content_type else {})
    response = await platform.client.post("/v1/assets", content=b'{"code": "SOL"}', headers=headers)
    problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.backends("sqlite", "postgresql")  # smoke: errors
async def test_validation_failure_lists_field_paths(platform: Platform) -> None:
    response = await platform.client.post(
        "/v1/assets", json={"code": "sol", "name": " Solana", "kind": "METAL", "scale": 19, "extra": 1},
        headers=admin("invalid"),
    )
    body = problem(response, 422, "VALIDATION_FAILED")
    fields = {error["field"] for error in body["errors"]}
    assert {"body.code", "body.name", "body.kind", "body.scale", "body.extra"} <= fields
    assert all(error["code"].isupper() and error["message"] for error in body["errors"])

    body = problem(await platform.client.get("/v1/assets", params={"limit": 0}), 422, "VALIDATION_FAILED")
    assert [error["field"] for error in body["errors"]] == ["query.limit"]
    body = problem(await platform.client.get("/v1/assets/not-a-code"), 422, "VALIDATION_FAILED")
    assert [error["field"] for error in body["errors"]] == ["path.code"]

    response = await platform.client.post("/v1/assets", json=NEW_ASSET, headers={"X-API-Key": OPERATOR_KEY})
    body = problem(response, 422, "VALIDATION_FAILED")
    assert [error["field"] for error in body["errors"]] == ["header.Idempotency-Key"]


async def test_a_body_that_is_not_an_object_or_carries_nul_is_refused(platform: Platform) -> None:
    body = problem(await platform.client.post("/v1/assets", json=[NEW_ASSET], headers=admin("list")),
                   422, "VALIDATION_FAILED")
    assert body["errors"][0]["field"] == "body"
    # PostgreSQL cannot store U+0000 in text: refused up front instead of failing in the database.
    body = problem(await platform.client.post("/v1/assets", json={**NEW_ASSET, "name": "So\x00l"}, headers=admin("nul")),
                   422, "VALIDATION_FAILED")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("body.name", "NUL_CHARACTER")]


async def test_oversized_body_with_content_length(database_url: str) -> None:
    app = create_app(make_settings(database_url, max_body_bytes=256))
    async with serving(app) as client:
        padded = {**NEW_ASSET, "name": "x" * 300}
        response = await client.post("/v1/assets", json=padded, headers=admin("big"))
        problem(response, 413, "PAYLOAD_TOO_LARGE")
        assert (await client.get("/v1/assets/SOL")).status_code == 404
        # Just under the limit still goes through to validation (the name is too long, not the body).
        response = await client.post("/v1/assets", json={**NEW_ASSET, "name": "x" * 150}, headers=admin("fits"))
        problem(response, 422, "VALIDATION_FAILED")


async def test_oversized_chunked_body(database_url: str) -> None:
    app = create_app(make_settings(database_url, max_body_bytes=256))

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"code": "SOL", "kind": "CRYPTO", "scale": 9, "name": "'
        for _ in range(10):
            yield b"x" * 64
        yield b'"}'

    async with serving(app) as client:
        response = await client.post(
            "/v1/assets", content=chunks(), headers={**admin("chunked"), "Content-Type": "application/json"}
        )
        assert "content-length" not in response.request.headers  # sent chunked: only the stream can tell
        problem(response, 413, "PAYLOAD_TOO_LARGE")
        assert (await client.get("/v1/assets/SOL")).status_code == 404


@pytest.mark.parametrize("supplied", ["has spaces", "x" * 129, "ünïcode", ""])
async def test_invalid_request_id_is_replaced_not_echoed(platform: Platform, supplied: str) -> None:
    response = await platform.client.get("/v1/meta", headers={"X-Request-Id": supplied.encode("utf-8")})
    assert response.status_code == 200
    assert response.headers["x-request-id"].startswith("req_")
    body = problem(await platform.client.get("/v1/assets/XYZ", headers={"X-Request-Id": supplied.encode()}),
                   404, "ASSET_NOT_FOUND")
    assert body["request_id"].startswith("req_") and body["request_id"] != supplied


async def test_traceparent_is_honoured_in_problems(platform: Platform) -> None:
    for response in (
        await platform.client.get("/v1/no-such-thing", headers={"traceparent": TRACEPARENT}),
        await platform.client.get("/v1/assets", params={"limit": 0}, headers={"traceparent": TRACEPARENT}),
        await platform.client.post("/v1/assets", content=b"{", headers={**admin("t"), "traceparent": TRACEPARENT,
                                                                        "Content-Type": "application/json"}),
    ):
        assert response.status_code >= 400
        assert response.json()["trace_id"] == TRACE_ID
    # A malformed traceparent starts a new trace instead of failing the request.
    response = await platform.client.get("/v1/assets/XYZ", headers={"traceparent": "00-zz-yy-01"})
    trace_id = problem(response, 404, "ASSET_NOT_FOUND")["trace_id"]
    assert len(trace_id) == 32 and trace_id != TRACE_ID


class ExplodingAssets(AssetsHandler):
    """Fails after the service did its work, as a bug in a handler would."""

    async def get_asset(self, ctx: RequestContext, *, code: str) -> models.Asset:
        raise RuntimeError("handler bug")

    async def create_asset(self, ctx: RequestContext, *, body: models.AssetCreate):  # type: ignore[override]
        await super().create_asset(ctx, body=body)
        raise RuntimeError("handler bug after the write")


@pytest.mark.backends("sqlite", "postgresql")  # rollback
async def test_unhandled_exception_is_a_500_problem_and_changes_nothing(database_url: str) -> None:
    settings = make_settings(database_url)
    runtime = build_runtime(settings)
    handlers = default_handlers(runtime, "test") | {"assets": ExplodingAssets()}
    app = create_app(settings, runtime=runtime, handlers=handlers)
    async with serving(app) as client:
        body = problem(await client.get("/v1/assets/EUR", headers={"traceparent": TRACEPARENT}), 500, "INTERNAL_ERROR")
        assert body["trace_id"] == TRACE_ID
        assert "handler bug" not in str(body)  # no internals leak to the caller
        problem(await client.post("/v1/assets", json=NEW_ASSET, headers=admin("boom")), 500, "INTERNAL_ERROR")

    # Nothing was committed, and the key was released: the same request succeeds on a healthy app.
    async with serving(create_app(settings)) as client:
        assert (await client.get("/v1/assets/SOL")).status_code == 404
        retried = await client.post("/v1/assets", json=NEW_ASSET, headers=admin("boom"))
        assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
