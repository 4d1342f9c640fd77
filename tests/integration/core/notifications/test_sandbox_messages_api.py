"""The sandbox's view of the email and SMS the platform sent (`GET /v1/sandbox/messages`, `python -m app
messages --json`): codes readable by automated journeys, filtered and paged; refused in PRODUCTION."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.runtime import build_runtime
from tests.conftest import make_settings
from tests.integration.core.identity.conftest import IdentityPlatform, idp  # noqa: F401
from tests.integration.core.identity.helpers import PASSWORD, active_user

ROOT = Path(__file__).resolve().parents[4]


async def test_codes_by_recipient_newest_first_in_pages(idp: IdentityPlatform) -> None:  # noqa: F811
    await active_user(idp, "Ada@Example.com", "+12025550142")  # a sandbox phone number
    await active_user(idp, "bob@example.com", "+12025550143")
    mine = (await idp.client.get("/v1/sandbox/messages", params={"recipient": "ada@example.COM"})).json()
    assert [(m["channel"], m["event_type"]) for m in mine["data"]] == [("EMAIL", "identity.verification_code")]
    [mail] = mine["data"]
    assert mail["recipient"] == "Ada@Example.com" and mail["code"] in mail["body"] and len(mail["code"]) == 6
    assert mail["code"] == idp.last_code("Ada@Example.com")  # the very code the mail carried
    sms = (await idp.client.get("/v1/sandbox/messages", params={"recipient": "+1 202-555-0142"})).json()["data"]
    assert [(m["channel"], m["recipient"]) for m in sms] == [("SMS", "+12025550142")]
    only_sms = (await idp.client.get("/v1/sandbox/messages", params={"channel": "SMS"})).json()["data"]
    assert {m["recipient"] for m in only_sms} == {"+12025550142", "+12025550143"}
    first = (await idp.client.get("/v1/sandbox/messages", params={"limit": 3})).json()
    assert first["has_more"] is True and len(first["data"]) == 3
    rest = (await idp.client.get("/v1/sandbox/messages", params={"cursor": first["next_cursor"]})).json()
    assert rest["has_more"] is False and "next_cursor" not in rest
    everything = first["data"] + rest["data"]
    assert len(everything) == 4 and [m["id"] for m in everything] == sorted((m["id"] for m in everything), reverse=True)
    # a message without a code has none
    await idp.client.post("/v1/sessions", json={"identifier": "bob@example.com", "password": PASSWORD},
                          headers={"X-Device-Id": "device-bob-0000001"})
    await idp.client.post("/v1/sessions", json={"identifier": "bob@example.com", "password": PASSWORD},
                          headers={"X-Device-Id": "device-bob-0000002"})
    alert = (await idp.client.get("/v1/sandbox/messages", params={"recipient": "bob@example.com", "limit": 1})).json()
    assert alert["data"][0]["event_type"] == "identity.new_device" and "code" not in alert["data"][0]


@pytest.fixture
async def production(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(database_url, environment="PRODUCTION")
    app = create_app(settings, runtime=build_runtime(settings))
    inner = app.app
    async with inner.router.lifespan_context(inner), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
        yield client


async def test_production_refuses(production: httpx.AsyncClient) -> None:
    refused = await production.get("/v1/sandbox/messages")
    assert refused.status_code == 403 and refused.json()["code"] == "SANDBOX_ONLY"
    body = {"phone": "+12025550142", "email": "ada@example.com", "display_name": "Ada", "country": "GB",
            "password": PASSWORD}
    fictional = await production.post("/v1/users", headers={"Idempotency-Key": "sandbox-phone-1"}, json=body)
    assert fictional.status_code == 422 and fictional.json()["errors"][0]["code"] == "SANDBOX_PHONE_NUMBER"
    real = await production.post("/v1/users", headers={"Idempotency-Key": "sandbox-phone-2"},
                                 json={**body, "phone": "+12025550200"})
    assert real.status_code == 201, real.text


def _cli(database_url: str, *args: str, environment: str = "SANDBOX") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DARCA_DATABASE_URL": database_url, "DARCA_ENVIRONMENT": environment}
    return subprocess.run([sys.executable, "-m", "app", "messages", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


async def test_the_command_line_prints_the_same_json(idp: IdentityPlatform) -> None:  # noqa: F811
    await active_user(idp, "ada@example.com", "+12025550142")
    api = (await idp.client.get("/v1/sandbox/messages", params={"recipient": "+12025550142"})).json()
    done = _cli(idp.settings.database_url, "--json", "--recipient", "+12025550142")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["has_more"] is False and [m["code"] for m in printed["data"]] == [m["code"] for m in api["data"]]
    assert printed["data"][0]["id"] == api["data"][0]["id"] and printed["data"][0]["channel"] == "SMS"
    refused = _cli(idp.settings.database_url, "--json", environment="PRODUCTION")
    assert refused.returncode == 1 and "SANDBOX_ONLY" in refused.stderr
