"""Deprecation markup in the spec reaches the wire: routes generated from a copy of the bundled contract with
deprecated parts, served by the real invoker and middleware, answer with RFC 9745 / RFC 8594 headers and
count the use per caller. (Nothing of the released contract is deprecated yet, hence the planted copy.)"""

from __future__ import annotations

import copy
import json
import sys
import types
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import app.main
import generated.openapi.routes as real_routes
from app.main import create_app
from app.runtime import build_runtime
from core.platform.observability import REGISTRY
from tests.conftest import OPERATOR_KEY, make_settings
from tools.codegen import openapi_routes

BUNDLED = Path(__file__).resolve().parents[3] / "generated" / "specs" / "openapi.json"
DOCS_LINK = '</docs#/section/versioning-and-deprecation>; rel="deprecation"'
CHANGELOG_LINK = '<https://darca.example/changelog#assets>; rel="deprecation"'


def planted_contract() -> dict:
    doc = copy.deepcopy(json.loads(BUNDLED.read_text(encoding="utf-8")))
    # a whole operation, with its own link
    doc["paths"]["/v1/assets/{code}"]["get"].update({
        "deprecated": True, "x-deprecated-at": "2026-06-01", "x-sunset": "2027-06-30",
        "x-deprecation-link": "https://darca.example/changelog#assets"})
    doc["paths"]["/v1/assets"]["post"].update({"deprecated": True, "x-deprecated-at": "2026-06-01",
                                               "x-sunset": "2027-07-01T00:00:00+00:00"})
    # a query parameter (inline in the operation)
    kind = next(p for p in doc["paths"]["/v1/assets"]["get"]["parameters"] if p.get("name") == "kind")
    kind.update({"deprecated": True, "x-deprecated-at": "2026-09-01T12:00:00Z", "x-sunset": "2027-03-31"})
    # a header parameter (a shared component)
    doc["components"]["parameters"]["XDeviceName"].update(
        {"deprecated": True, "x-deprecated-at": "2026-06-01", "x-sunset": "2027-01-15"})
    # a request-body field
    doc["components"]["schemas"]["UserRegistration"]["properties"]["locale"].update(
        {"deprecated": True, "x-deprecated-at": "2026-06-01", "x-sunset": "2027-12-31"})
    return doc


def planted_routes() -> types.ModuleType:
    """The generator's output for the planted contract, loaded beside the real generated package."""
    module = types.ModuleType("generated.openapi.planted_routes")
    module.__package__ = "generated.openapi"
    sys.modules[module.__name__] = module
    source = openapi_routes.render(planted_contract(), "planted")  # what `make generate` would write
    exec(compile(source, "planted_routes.py", "exec"), module.__dict__)  # noqa: S102 - our generator's output
    # Same operations as the real contract: the real handlers implement the real interfaces.
    module.HANDLER_INTERFACES = real_routes.HANDLER_INTERFACES
    return module


@dataclass
class Served:
    client: httpx.AsyncClient


@pytest.fixture
async def served(database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    monkeypatch.setattr(app.main, "build_router", planted_routes().build_router)
    settings = make_settings(database_url)
    runtime = build_runtime(settings)
    asgi = create_app(settings, runtime=runtime)
    async with (asgi.app.router.lifespan_context(asgi.app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://darca.test") as client):
        yield Served(client)
    sys.modules.pop("generated.openapi.planted_routes", None)


def count(operation_id: str, element: str, caller: str) -> float:
    labels = {"operation_id": operation_id, "element": element, "caller": caller}
    return REGISTRY.get_sample_value("darca_deprecated_requests_total", labels) or 0.0


async def test_a_deprecated_operation_announces_itself_in_every_answer(served: Served) -> None:
    before = count("getAsset", "operation", "anonymous")
    found = await served.client.get("/v1/assets/EUR")
    missing = await served.client.get("/v1/assets/XXX")
    assert found.status_code == 200 and missing.status_code == 404
    for response in (found, missing):  # a refusal is announced too
        assert response.headers["Deprecation"] == "@1780272000"  # 2026-06-01T00:00:00Z
        assert response.headers["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
        assert response.headers["Link"] == CHANGELOG_LINK
    assert count("getAsset", "operation", "anonymous") == before + 2


async def test_a_deprecated_parameter_is_announced_only_when_sent(served: Served) -> None:
    before = count("listAssets", "query.kind", "anonymous")
    plain = await served.client.get("/v1/assets")
    assert plain.status_code == 200
    assert not {"deprecation", "sunset", "link"} & set(plain.headers)
    filtered = await served.client.get("/v1/assets", params={"kind": "FIAT"})
    assert filtered.status_code == 200
    assert filtered.headers["Deprecation"] == "@1788264000"  # 2026-09-01T12:00:00Z
    assert filtered.headers["Sunset"] == "Wed, 31 Mar 2027 00:00:00 GMT"
    assert filtered.headers["Link"] == DOCS_LINK
    assert count("listAssets", "query.kind", "anonymous") == before + 1


async def test_a_deprecated_header_on_a_refused_request(served: Served) -> None:
    before = count("createSession", "header.X-Device-Name", "anonymous")
    login = {"identifier": "nobody@example.com", "password": "wrong-password-1"}
    refused = await served.client.post("/v1/sessions", json=login, headers={"X-Device-Name": "Test phone"})
    assert refused.status_code == 401
    assert refused.headers["Sunset"] == "Fri, 15 Jan 2027 00:00:00 GMT"
    assert refused.headers["Link"] == DOCS_LINK
    without = await served.client.post("/v1/sessions", json=login)
    assert without.status_code == 401 and "sunset" not in without.headers
    assert count("createSession", "header.X-Device-Name", "anonymous") == before + 1


async def test_a_deprecated_body_field_is_announced_and_replayed(served: Served) -> None:
    before = count("registerUser", "body.locale", "anonymous")
    body = {"phone": "+44 20 7946 0018", "email": "dep@example.com", "display_name": "Dee Precated",
            "country": "GB", "password": "violet-harbour-lantern-42", "locale": "en"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await served.client.post("/v1/users", json=body, headers=key)
    again = await served.client.post("/v1/users", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    for response in (first, again):
        assert response.headers["Deprecation"] == "@1780272000"
        assert response.headers["Sunset"] == "Fri, 31 Dec 2027 00:00:00 GMT"
    assert count("registerUser", "body.locale", "anonymous") == before + 2
    plain = {**body, "email": "plain@example.com", "phone": "+44 20 7946 0019"}
    del plain["locale"]
    fresh = await served.client.post("/v1/users", json=plain, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert fresh.status_code == 201 and "deprecation" not in fresh.headers


async def test_use_is_counted_per_caller_once_known(served: Served) -> None:
    before = count("createAsset", "operation", "operator")
    asset = {"code": "DEPX", "name": "Deprecated Coin", "kind": "CRYPTO", "scale": 6}
    unknown = await served.client.post("/v1/assets", json=asset, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert unknown.status_code == 401  # refused before the caller is known: announced, not counted
    assert unknown.headers["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    created = await served.client.post("/v1/assets", json=asset,
                                       headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": str(uuid.uuid4())})
    assert created.status_code == 201
    assert created.headers["Deprecation"] == "@1780272000"
    assert created.headers["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert count("createAsset", "operation", "operator") == before + 1
    assert count("createAsset", "operation", "anonymous") == 0
