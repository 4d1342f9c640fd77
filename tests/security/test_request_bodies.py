"""Hostile JSON bodies against every operation that takes one (derived from the contract, so a new
operation is covered as it appears): nesting ~1,000 levels deep and duplicate keys are a 400 problem,
never a 500, and never reach a model (where the last duplicate would silently win)."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.identity.passwords import hash_password
from core.identity.users.tables import UserRow
from core.platform.clock import utcnow
from core.platform.ids import new_id
from generated.openapi.routes import OPERATIONS, Operation
from tests.conftest import OPERATOR_KEY, Platform, serving

pytestmark = pytest.mark.backends("sqlite")  # the parser runs before any query: one backend tells all

PASSWORD = "violet-harbour-lantern-42"
BODY_OPERATIONS = sorted((op for op in OPERATIONS.values() if op.body_model is not None), key=lambda o: o.operation_id)
ID_PATTERN = re.compile(r"\{([a-z_]+)\}")


SPEC = json.loads((Path(__file__).parents[2] / "generated/specs/openapi.json").read_text())
PREFIXED_ID = re.compile(r"^\^([a-z]+_)\[0-9a-z\]\{26\}\$$")


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/")]
        node = target
    return node


def path_value(schema: dict[str, Any]) -> str:
    """A well-formed value for a path parameter: `acc_` + 26 characters for prefixed ids, else an example."""
    prefixed = PREFIXED_ID.match(schema.get("pattern", ""))
    if prefixed:
        return prefixed.group(1) + "0" * 26
    return str(schema["examples"][0])


def concrete_path(op: Operation) -> str:
    """Path parameters filled from the contract, so the request passes routing and parameter
    validation and its body is what gets judged."""
    item = SPEC["paths"][op.path]
    params = [*item.get("parameters", []), *item[op.method.lower()].get("parameters", [])]
    schemas = {}
    for param in map(resolve, params):
        if param["in"] == "path":
            schemas[param["name"]] = resolve(param["schema"])
    return ID_PATTERN.sub(lambda m: path_value(schemas[m.group(1)]), op.path)


@pytest.fixture(scope="module")
async def platform(template_database: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
                   ) -> AsyncIterator[Platform]:
    """One platform for the module: every body here is refused before anything that keeps state sees it
    (a refused body does not even settle its Idempotency-Key, as one test proves)."""
    target = tmp_path_factory.mktemp("bodies") / "darca.db"
    shutil.copyfile(template_database[1], target)
    async with serving(f"sqlite+aiosqlite:///{target}") as served:
        yield served


@pytest.fixture(scope="module")
async def credentials(platform: Platform) -> dict[str, dict[str, str]]:
    user_id, now = new_id("usr"), utcnow()
    email = f"{user_id}@darca.test"
    async with platform.runtime.db.unit_of_work() as session:
        session.add(UserRow(id=user_id, phone="+442079460077", email=email, email_normalised=email,
                            display_name="Body Prober", country="GB", locale="en",
                            password_hash=await hash_password(PASSWORD), status="ACTIVE", phone_verified=True,
                            email_verified=True, created_at=now, updated_at=now))
    login = await platform.client.post("/v1/sessions", json={"identifier": email, "password": PASSWORD})
    assert login.status_code == 201, login.text
    return {"bearerAuth": {"Authorization": f"Bearer {login.json()['access_token']}"},
            "apiKeyAuth": {"X-API-Key": OPERATOR_KEY}}


def headers_for(op: Operation, credentials: dict[str, dict[str, str]]) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    if op.security:
        scheme = op.security[0][0][0] if op.security[0] else None
        if scheme:
            headers.update(credentials[scheme])
    return headers


async def send(platform: Platform, op: Operation, raw: bytes, credentials: dict[str, dict[str, str]]) -> Any:
    return await platform.client.request(op.method, concrete_path(op), content=raw,
                                         headers=headers_for(op, credentials))


def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_every_operation_with_a_body_is_covered() -> None:
    assert len(BODY_OPERATIONS) >= 20  # the contract has this many today; the list grows, never silently empties


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: op.operation_id)
async def test_deeply_nested_bodies_are_a_400_problem(platform: Platform, op: Operation,
                                                      credentials: dict[str, dict[str, str]]) -> None:
    deep = b'{"a":' + b"[" * 1_000 + b"]" * 1_000 + b"}"
    assert_problem(await send(platform, op, deep, credentials), 400, "JSON_TOO_DEEP")


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: op.operation_id)
async def test_duplicate_keys_are_a_400_problem(platform: Platform, op: Operation,
                                                credentials: dict[str, dict[str, str]]) -> None:
    duplicated = b'{"amount":"1.00","amount":"1000.00"}'
    response = await send(platform, op, duplicated, credentials)
    assert_problem(response, 400, "DUPLICATE_JSON_KEY")
    assert response.json()["key"] == "amount"


async def test_a_duplicate_key_deep_inside_is_refused_too(platform: Platform,
                                                         credentials: dict[str, dict[str, str]]) -> None:
    op = OPERATIONS["createSandboxTopUp"]
    body = b'{"account_id":"acc_' + b"0" * 26 + b'","amount":{"amount":"1.00","asset":"EUR","amount":"1000.00"}}'
    assert_problem(await send(platform, op, body, credentials), 400, "DUPLICATE_JSON_KEY")


async def test_nesting_within_the_declared_depth_reaches_validation(platform: Platform,
                                                                    credentials: dict[str, dict[str, str]]) -> None:
    """Depth 32 is allowed (the model then refuses the shape); depth 33 is not."""
    op = OPERATIONS["createSandboxTopUp"]
    allowed = json.dumps({"metadata": {"k": [[[]]]}}).encode()
    assert (await send(platform, op, allowed, credentials)).json()["code"] == "VALIDATION_FAILED"
    at_limit = b"[" * 32 + b"]" * 32
    assert (await send(platform, op, at_limit, credentials)).json()["code"] == "VALIDATION_FAILED"
    over = b"[" * 33 + b"]" * 33
    assert_problem(await send(platform, op, over, credentials), 400, "JSON_TOO_DEEP")


async def test_a_refused_body_leaves_the_idempotency_key_free(platform: Platform,
                                                              credentials: dict[str, dict[str, str]]) -> None:
    op = OPERATIONS["createAsset"]
    headers = {**credentials["apiKeyAuth"], "Content-Type": "application/json", "Idempotency-Key": "k-dup"}
    bad = b'{"code":"SOL","code":"ADA","name":"Solana","kind":"CRYPTO","scale":9}'
    assert_problem(await platform.client.post(op.path, content=bad, headers=headers), 400, "DUPLICATE_JSON_KEY")
    good = await platform.client.post(op.path, json={"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9},
                                      headers=headers)
    assert good.status_code == 201, good.text
