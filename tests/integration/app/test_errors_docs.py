"""Every problem's `type` is a link that resolves: it points into the error catalogue served by the
same deployment (/docs/errors, one anchor per code), and the catalogue is served as JSON too."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from app.main import create_app
from generated.problems import PROBLEMS, ProblemCode
from tests.conftest import OPERATOR_KEY, Platform, make_settings
from tests.integration.app.test_errors import problem, serving


async def resolves(client: httpx.AsyncClient, link: str, code: str) -> None:
    """GET the link's path on the app: 200, HTML, with the code's anchor."""
    parts = urlsplit(link)
    assert parts.fragment == code
    page = await client.get(parts.path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'id="{code}"' in page.text


async def test_a_refusal_links_to_its_catalogue_entry(platform: Platform) -> None:
    base = platform.settings.api_base_url
    for response, status, code in [
        (await platform.client.get("/v1/no-such-thing"), 404, "ROUTE_NOT_FOUND"),  # the framework's
        (await platform.client.get("/v1/assets/XYZ", headers={"X-API-Key": OPERATOR_KEY}), 404,
         "ASSET_NOT_FOUND"),  # an operation's
        (await platform.client.get("/v1/kyc"), 401, "UNAUTHENTICATED"),  # the authenticator's
    ]:
        body = problem(response, status, code)
        assert body["type"] == f"{base}/docs/errors#{code}"
        await resolves(platform.client, body["type"], code)


async def test_the_link_follows_the_public_url(database_url: str) -> None:
    settings = make_settings(database_url, public_url="https://api.bank.example/darca", max_body_bytes=64)
    async with serving(create_app(settings)) as client:
        body = problem(await client.get("/v1/no-such-thing"), 404, "ROUTE_NOT_FOUND")
        assert body["type"] == "https://api.bank.example/darca/docs/errors#ROUTE_NOT_FOUND"
        # refused by the platform middleware, before the app: the same link
        response = await client.post("/v1/assets", content=b"x" * 100,
                                     headers={"Content-Type": "application/json", "X-API-Key": OPERATOR_KEY,
                                              "Idempotency-Key": "big"})
        body = problem(response, 413, "PAYLOAD_TOO_LARGE")
        assert body["type"] == "https://api.bank.example/darca/docs/errors#PAYLOAD_TOO_LARGE"
        catalogue = (await client.get("/docs/errors.json")).json()
        assert catalogue["problems"][0]["type"].startswith("https://api.bank.example/darca/docs/errors#")


async def test_the_catalogue_page_has_every_code(platform: Platform) -> None:
    page = await platform.client.get("/docs/errors")
    assert page.status_code == 200
    for code in ProblemCode:
        assert f'<section id="{code}">' in page.text
    assert 'id="field-problems"' in page.text and 'id="field-AMOUNT_TOO_PRECISE"' in page.text


async def test_the_catalogue_as_json(platform: Platform) -> None:
    response = await platform.client.get("/docs/errors.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    by_code = {p["code"]: p for p in body["problems"]}
    assert set(by_code) == {c.value for c in ProblemCode}
    funds = by_code["INSUFFICIENT_FUNDS"]
    info = PROBLEMS[ProblemCode.INSUFFICIENT_FUNDS]
    assert funds == {
        "code": "INSUFFICIENT_FUNDS", "type": f"{platform.settings.api_base_url}/docs/errors#INSUFFICIENT_FUNDS",
        "status": [422], "grpc_status": ["FAILED_PRECONDITION"], "title": info.title, "meaning": info.meaning,
        "action": info.action, "retry": "AFTER_FIX", "fix": ["getLedgerBalance"],
    }
    assert {f["code"] for f in body["field_problems"]} >= {"AMOUNT_TOO_PRECISE", "MISSING"}
