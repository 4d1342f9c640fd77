"""Probing DARCA ID as an attacker would: registrations, codes and answers compared byte for byte."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.integration.core.identity.conftest import IdentityPlatform
from tests.integration.core.identity.helpers import PASSWORD, sms_code

__all__ = ["PASSWORD", "confirm", "normalised", "register", "sms_code", "start", "wrong_code"]

_IDS = re.compile(rb"\b[a-z]{3}_[0-9a-z]{26}\b")
_TIMES = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_REQUEST = re.compile(rb'"(request_id|trace_id)":"[^"]*"')
_VOLATILE_HEADERS = {"x-request-id", "traceparent", "date", "content-length", "server-timing", "x-trace-id"}


def normalised(response: httpx.Response, *echoed: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body with what differs between any two requests removed: ids, timestamps,
    request and trace ids, and the addresses the caller sent (echoed back as given)."""
    body = response.content
    for value in echoed:
        body = body.replace(value.encode(), b"<echoed>")
    body = _REQUEST.sub(rb'"\1":"<request>"', _TIMES.sub(b"<time>", _IDS.sub(b"<id>", body)))
    headers = {k: _IDS.sub(b"<id>", v.encode()).decode() for k, v in response.headers.items()
               if k not in _VOLATILE_HEADERS}
    return response.status_code, headers, body


async def register(idp: IdentityPlatform, email: str, phone: str) -> httpx.Response:
    body = {"phone": phone, "email": email, "display_name": "Mallory", "country": "GB", "password": PASSWORD}
    return await idp.client.post("/v1/users", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


async def start(idp: IdentityPlatform, user_id: str, channel: str) -> httpx.Response:
    return await idp.client.post(f"/v1/users/{user_id}/verifications", json={"channel": channel})


async def confirm(idp: IdentityPlatform, user_id: str, channel: str, code: str) -> httpx.Response:
    return await idp.client.post(f"/v1/users/{user_id}/verifications/confirm", json={"channel": channel, "code": code})


def wrong_code(right: str | None) -> str:
    return "000000" if right != "000000" else "111111"
