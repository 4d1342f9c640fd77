"""openapi-core checks every exchange of a test client against the bundled OpenAPI contract.

A transport wraps the platform's ASGI app: each request and its response are validated as they
pass. A response the contract does not allow fails at once; a request the contract rejects must
have been refused by the app with a 4xx (the app never accepts what the contract forbids). The
scenario walks every operation through its success and error paths.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.util import json_loads
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS31Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from app.runtime import load_spec
from tests.conftest import OPERATOR_KEY, Platform

SPEC = load_spec("openapi.json")
BASE_URL = SPEC["servers"][0]["url"]  # the in-process app answers any host; the contract's keeps paths found


class OpenAPIRequest:
    """An httpx request, as openapi-core's Request protocol."""

    def __init__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        self.host_url = f"{url.scheme}://{url.netloc}"
        self.path = url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query, keep_blank_values=True)),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )


class OpenAPIResponse:
    """An httpx response, as openapi-core's Response protocol."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(list(response.headers.items()))
        self.data = response.content


@dataclass
class Exchange:
    request: httpx.Request
    response: httpx.Response
    request_valid: bool
    in_contract: bool


class ContractViolation(AssertionError):
    pass


class ValidatingTransport(httpx.AsyncBaseTransport):
    """Passes every exchange to the app and through openapi-core."""

    def __init__(self, app: object, spec: dict) -> None:
        self.inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        # openapi-core knows `application/json` only; RFC 9457 bodies are JSON too.
        config = Config(extra_media_type_deserializers={"application/problem+json": json_loads})
        self.openapi = OpenAPI(SchemaPath.from_dict(spec), config=config)
        self.problem = OAS31Validator(
            {**spec["components"]["schemas"]["Problem"], "components": spec["components"]},
        )
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        response = httpx.Response(response.status_code, headers=response.headers, content=body, request=request)
        self.exchanges.append(self.validate(request, response))
        return response

    def validate(self, request: httpx.Request, response: httpx.Response) -> Exchange:
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        openapi_request = OpenAPIRequest(request)
        in_contract, detail = True, None
        try:
            self.openapi.validate_request(openapi_request)
            request_valid = True
        except (PathNotFound, OperationNotFound) as error:
            request_valid = in_contract = False
            detail = error
        except OpenAPIError as error:  # any request the contract rejects
            request_valid = False
            detail = error
        if not request_valid and not 400 <= response.status_code < 500:
            raise ContractViolation(f"{where}: the contract rejects this request ({detail!r}) but the app did not")
        if in_contract:
            try:
                self.openapi.validate_response(openapi_request, OpenAPIResponse(response))
            except OpenAPIError as error:
                raise ContractViolation(f"{where}: response breaks the contract: {error!r} {response.text}") from error
        else:  # outside the contract's paths: still a problem document
            assert response.headers["content-type"] == "application/problem+json", where
            self.problem.validate(response.json())
        return Exchange(request, response, request_valid, in_contract)


@pytest.fixture
async def client(platform: Platform) -> AsyncIterator[tuple[httpx.AsyncClient, ValidatingTransport]]:
    transport = ValidatingTransport(platform.app, SPEC)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client, transport


def admin(key: str | None = None) -> dict[str, str]:
    return {"X-API-Key": OPERATOR_KEY} | ({"Idempotency-Key": key} if key else {})


NEW = {"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9}


@pytest.mark.backends("sqlite", "postgresql")  # smoke: a scenario across every area
async def test_every_exchange_of_a_scenario_matches_the_contract(
    client: tuple[httpx.AsyncClient, ValidatingTransport],
) -> None:
    http, transport = client
    statuses: dict[str, set[int]] = {}

    async def call(method: str, url: str, status: int, **kwargs: object) -> httpx.Response:
        response = await http.request(method, url, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == status, f"{method} {url}: {response.text}"
        statuses.setdefault(f"{method} {url.split('?')[0]}", set()).add(status)
        return response

    # platform
    await call("GET", "/v1/health/live", 200, headers={"X-Request-Id": "scenario-1"})
    await call("GET", "/v1/health/ready", 200)
    await call("GET", "/v1/meta", 200)

    # listAssets: pages, filter, and every way to get the query wrong
    first = (await call("GET", "/v1/assets?limit=3", 200)).json()
    assert first["has_more"] and len(first["data"]) == 3
    await call("GET", f"/v1/assets?limit=3&cursor={first['next_cursor']}", 200)
    await call("GET", "/v1/assets?kind=CRYPTO", 200)
    await call("GET", "/v1/assets?cursor=eyJrIjpbMSwyLDMsNF19", 400)  # well-formed, but never issued
    await call("GET", "/v1/assets?limit=0", 422)
    await call("GET", "/v1/assets?kind=METAL", 422)
    await call("GET", "/v1/assets?cursor=%21%21", 422)

    # getAsset
    await call("GET", "/v1/assets/EUR", 200)
    await call("GET", "/v1/assets/XYZ", 404)
    await call("GET", "/v1/assets/eur", 422)

    # createAsset: success, replay, and each refusal
    created = await call("POST", "/v1/assets", 201, json=NEW, headers=admin("k-1"))
    replay = await call("POST", "/v1/assets", 201, json=NEW, headers=admin("k-1"))
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == created.json()
    await call("POST", "/v1/assets", 422, json={**NEW, "scale": 8}, headers=admin("k-1"))  # key reused
    await call("POST", "/v1/assets", 409, json=NEW, headers=admin("k-2"))  # code taken
    await call("POST", "/v1/assets", 401, json=NEW, headers={"Idempotency-Key": "k-3"})
    await call("POST", "/v1/assets", 401, json=NEW, headers={"X-API-Key": "wrong", "Idempotency-Key": "k-3"})
    await call("POST", "/v1/assets", 400, content=b'{"code": ', headers=admin("k-4") | {"Content-Type": "application/json"})
    await call("POST", "/v1/assets", 415, content=b"code=ADA", headers=admin("k-5") | {"Content-Type": "text/plain"})
    await call("POST", "/v1/assets", 422, json={**NEW, "code": "ada", "scale": 19}, headers=admin("k-6"))
    await call("POST", "/v1/assets", 422, json=NEW, headers=admin())  # no Idempotency-Key
    await call("POST", "/v1/assets", 413, json={**NEW, "name": "x" * 1_100_000}, headers=admin("k-7"))
    await call("GET", created.headers["location"], 200)

    # outside the contract
    await call("DELETE", "/v1/assets", 405)
    await call("GET", "/v1/nothing-here", 404)

    assert {status for seen in statuses.values() for status in seen} >= {200, 201, 400, 401, 404, 405, 413, 415, 422}
    operations = {(e.request.method, e.request.url.path) for e in transport.exchanges if e.in_contract}
    assert {("GET", "/v1/health/live"), ("GET", "/v1/health/ready"), ("GET", "/v1/meta"), ("GET", "/v1/assets"),
            ("POST", "/v1/assets"), ("GET", "/v1/assets/EUR")} <= operations
    assert any(not e.request_valid for e in transport.exchanges)  # the negative paths were seen as such


async def test_a_response_outside_the_contract_is_caught(platform: Platform) -> None:
    """The validator itself can fail: a contract that no longer allows 404 on getAsset rejects the exchange."""
    narrowed = load_spec("openapi.json")
    del narrowed["paths"]["/v1/assets/{code}"]["get"]["responses"]["404"]
    transport = ValidatingTransport(platform.app, narrowed)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        assert (await http.get("/v1/assets/EUR")).status_code == 200
        with pytest.raises(ContractViolation, match="response breaks the contract"):
            await http.get("/v1/assets/XYZ")

