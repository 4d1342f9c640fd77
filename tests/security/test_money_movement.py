"""The viewer cannot move money: over every operation the contract marks `x-darca-moves-money`.

The operations come from the bundled spec, so a new money-moving operation is covered as soon as it is
marked, and a POST whose body carries a Money amount cannot forget the mark (it says `true`, or `false`
when the amount only names something, as a step-up bound to an amount does). Each one is driven through
the API against a real company: its viewer gets 403 and the balance stays, its owner succeeds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.ledger.api import Account, NewAccount
from tests.integration.core.identity.company_helpers import company, join, person
from tests.integration.core.identity.conftest import IdentityPlatform

SPEC = json.loads((Path(__file__).parents[2] / "generated" / "specs" / "openapi.json").read_text())
MARK = "x-darca-moves-money"


def _operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {op["operationId"]: (method, path, op) for path, item in SPEC["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "operationId" in op}


def _carries_money(node: object, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a schema (following $refs) contains the Money shape anywhere."""
    if isinstance(node, list):
        return any(_carries_money(n, seen) for n in node)
    if not isinstance(node, dict):
        return False
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return name == "Money" or (name not in seen and _carries_money(SPEC["components"]["schemas"].get(name),
                                                                       seen | {name}))
    return any(_carries_money(v, seen) for v in node.values())


MOVES_MONEY = sorted(op_id for op_id, (_, _, op) in _operations().items() if op.get(MARK) is True)

# How to ask each money-moving operation to move `amount` EUR into or out of `account`: (method, path, body).
Request = tuple[str, str, dict[str, Any]]
DRIVERS: dict[str, Callable[[Account, str], Request]] = {
    "createSandboxTopUp": lambda account, amount: (
        "POST", "/v1/sandbox/top-ups", {"account_id": account.id, "amount": {"amount": amount, "asset": "EUR"}}),
}


def test_every_operation_taking_money_is_marked_as_moving_money() -> None:
    unmarked = [op_id for op_id, (method, _, op) in _operations().items()
                if method == "post" and _carries_money(op.get("requestBody")) and not isinstance(op.get(MARK), bool)]
    assert not unmarked, f"mark these {MARK}: true (and give them a driver here) or false: {unmarked}"
    assert MOVES_MONEY, "no operation is marked; the rule below would check nothing"


def test_every_money_moving_operation_has_a_driver() -> None:
    assert set(MOVES_MONEY) <= set(DRIVERS), f"add a driver for {sorted(set(MOVES_MONEY) - set(DRIVERS))}"


@pytest.mark.backends("sqlite", "postgresql")  # smoke: money movement refused
@pytest.mark.parametrize("operation_id", MOVES_MONEY)
async def test_the_viewer_cannot_move_money(idp: IdentityPlatform, operation_id: str) -> None:
    owner, viewer = await person(idp, 1), await person(idp, 2)
    acme = (await company(idp, owner))["id"]
    await join(idp, acme, owner, viewer, "VIEWER")
    assert idp.runtime.ledger is not None
    wallet = await idp.runtime.ledger.open_account(None, NewAccount(f"acme-eur-{acme}", "COMPANY", acme, "EUR"))
    await idp.runtime.ledger.top_up(None, f"seed-{acme}", wallet.id, 100_000)  # money for operations that move it out

    async def posted() -> str:
        balance = await idp.client.get(f"/v1/ledger/accounts/{wallet.id}/balance", headers=owner.auth)
        assert balance.status_code == 200, balance.text
        return balance.json()["posted"]["amount"]

    method, path, body = DRIVERS[operation_id](wallet, "10.00")
    before = await posted()
    refused = await idp.client.request(method, path, json=body,
                                       headers={**viewer.auth, "Idempotency-Key": str(uuid.uuid4())})
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN"), refused.text
    assert await posted() == before

    done = await idp.client.request(method, path, json=body,
                                    headers={**owner.auth, "Idempotency-Key": str(uuid.uuid4())})
    assert 200 <= done.status_code < 300, done.text
    assert await posted() != before
