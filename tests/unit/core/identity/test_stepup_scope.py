"""A step-up grant covers exactly its action, amount, asset and counterparty; and the 403 that asks for one."""

from __future__ import annotations

import pytest

from core.identity.mfa.stepup import Scope, scope_matches, step_up_required

GRANT = Scope("payment.create", 1250, "EUR", "acc_bob")


@pytest.mark.parametrize("requested", [
    Scope("payment.approve", 1250, "EUR", "acc_bob"),
    Scope("payment.create", 1249, "EUR", "acc_bob"),
    Scope("payment.create", 1251, "EUR", "acc_bob"),
    Scope("payment.create", 1250, "USD", "acc_bob"),
    Scope("payment.create", 1250, "EUR", "acc_mallory"),
    Scope("payment.create", 1250, "EUR", None),
    Scope("payment.create", None, None, "acc_bob"),
])
def test_any_difference_is_a_mismatch(requested: Scope) -> None:
    assert not scope_matches(GRANT, requested)


def test_exact_scope_matches() -> None:
    assert scope_matches(GRANT, Scope("payment.create", 1250, "EUR", "acc_bob"))
    assert scope_matches(Scope("identity.totp.disable"), Scope("identity.totp.disable"))
    assert not scope_matches(Scope("payment.create"), GRANT)  # a grant without amount covers no amount


def test_step_up_required_tells_the_client_what_to_do() -> None:
    problem = step_up_required("payment.create", methods=["TOTP"])
    assert (problem.status, problem.code) == (403, "STEP_UP_REQUIRED")
    assert problem.extensions == {"action": "payment.create", "methods": ["TOTP"], "step_up_url": "/v1/step-ups"}
    assert step_up_required("x.y").extensions["methods"] == ["TOTP", "PASSKEY"]
