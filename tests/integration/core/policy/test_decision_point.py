"""The Cedar decision point: the role matrix, attribute rules (amount limit, department, company, status),
and that every decision, allow or deny, is logged with inputs, policy version and deciding policies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from core.platform.db import Database
from core.policy.api import ACTIONS, MONEY_ACTIONS, PolicyDecisionPoint, Subject, Target
from core.policy.decision import POLICY_DIR
from core.policy.tables import PolicyDecisionRow

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # decisions are logged inside the caller's transaction

COMPANY = Target("Company", "cmp_1", "cmp_1")
VERSION = (POLICY_DIR / "VERSION").read_text().strip()
READS = {"company.read", "member.list", "department.list"}
ADMIN_DENIED = {"company.delete", "company.transfer_ownership", "member.manage_owner"}
EXPECTED = {
    "OWNER": set(ACTIONS),
    "ADMIN": ACTIONS - ADMIN_DENIED,  # includes moving the company's money
    "ACCOUNTANT": READS | {"report.read", "payment.prepare"},
    "APPROVER": READS,  # payment.approve needs a limit above the amount: tested below
    "VIEWER": READS,  # never money.credit / money.debit
}


@pytest.fixture
async def pdp(database_url: str) -> AsyncIterator[PolicyDecisionPoint]:
    db = Database(database_url)
    yield PolicyDecisionPoint(db)
    await db.dispose()


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_role_matrix(pdp: PolicyDecisionPoint, role: str) -> None:
    subject = Subject("usr_1", "cmp_1", role)
    allowed = {a for a in sorted(ACTIONS) if (await pdp.decide(subject, a, COMPANY, amount_minor=100)).allowed}
    assert allowed == EXPECTED[role]


async def test_nobody_acts_on_another_company(pdp: PolicyDecisionPoint) -> None:
    other = Target("Company", "cmp_2", "cmp_2")
    for role in sorted(EXPECTED):
        decision = await pdp.decide(Subject("usr_1", "cmp_1", role), "company.read", other)
        assert not decision.allowed
        assert "forbid-other-company" in decision.deciding_policies


async def test_only_owners_and_admins_move_company_money(pdp: PolicyDecisionPoint) -> None:
    wallet = Target("Account", "acc_1", "cmp_1")
    for role in sorted(EXPECTED):
        for action in sorted(MONEY_ACTIONS):
            decision = await pdp.decide(Subject("usr_1", "cmp_1", role), action, wallet, amount_minor=1)
            assert decision.allowed == (role in ("OWNER", "ADMIN")), (role, action)
    viewer = await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "money.credit", wallet, amount_minor=1)
    assert "viewer-never-moves-money" in viewer.deciding_policies
    other = await pdp.decide(Subject("usr_1", "cmp_2", "OWNER"), "money.debit", wallet, amount_minor=1)
    assert not other.allowed


async def test_a_person_moves_only_their_own_money(pdp: PolicyDecisionPoint) -> None:
    mine = Target("Account", "acc_1", "", owner="usr_1")
    theirs = Target("Account", "acc_2", "", owner="usr_2")
    me = Subject.person("usr_1")
    for action in sorted(MONEY_ACTIONS):
        assert (await pdp.decide(me, action, mine, amount_minor=1)).allowed
        assert not (await pdp.decide(me, action, theirs, amount_minor=1)).allowed
    # Acting as a person grants nothing else, even on a company-less object that is theirs.
    for action in sorted(ACTIONS - MONEY_ACTIONS):
        assert not (await pdp.decide(me, action, mine)).allowed, action
    # A company member acts on the company's accounts only, never on a person's.
    owner = await pdp.decide(Subject("usr_1", "cmp_1", "OWNER"), "money.credit", mine, amount_minor=1)
    assert not owner.allowed and "forbid-other-company" in owner.deciding_policies


async def test_a_suspended_owner_is_refused(pdp: PolicyDecisionPoint) -> None:
    decision = await pdp.decide(Subject("usr_1", "cmp_1", "OWNER", status="SUSPENDED"), "company.read", COMPANY)
    assert not decision.allowed and decision.deciding_policies == ("forbid-inactive-member",)


async def test_approver_limit_and_department(pdp: PolicyDecisionPoint) -> None:
    approver = Subject("usr_1", "cmp_1", "APPROVER", department="dep_ops", approval_limit_minor=50_000)
    ops_payment = Target("Payment", "pay_1", "cmp_1", department="dep_ops")
    sales_payment = Target("Payment", "pay_2", "cmp_1", department="dep_sales")
    assert (await pdp.decide(approver, "payment.approve", ops_payment, amount_minor=50_000)).allowed
    assert not (await pdp.decide(approver, "payment.approve", ops_payment, amount_minor=50_001)).allowed
    assert not (await pdp.decide(approver, "payment.approve", sales_payment, amount_minor=1)).allowed
    company_wide = Target("Payment", "pay_3", "cmp_1")
    assert (await pdp.decide(approver, "payment.approve", company_wide, amount_minor=1)).allowed


async def test_unknown_action_or_role_is_a_programming_error(pdp: PolicyDecisionPoint) -> None:
    with pytest.raises(ValueError):
        await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "company.nuke", COMPANY)
    with pytest.raises(ValueError):
        await pdp.decide(Subject("usr_1", "cmp_1", "emperor"), "company.read", COMPANY)


async def test_every_decision_is_logged(pdp: PolicyDecisionPoint, database_url: str) -> None:
    allow = await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "company.read", COMPANY)
    deny = await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "member.invite", COMPANY)
    db = Database(database_url)
    try:
        async with db.sessions() as session:
            rows = {r.id: r for r in (await session.execute(select(PolicyDecisionRow))).scalars()}
    finally:
        await db.dispose()
    assert set(rows) == {allow.decision_id, deny.decision_id}
    logged_allow, logged_deny = rows[allow.decision_id], rows[deny.decision_id]
    assert logged_allow.decision == "ALLOW" and logged_allow.deciding_policies == ["members-read"]
    assert logged_deny.decision == "DENY" and logged_deny.deciding_policies == []
    for row in (logged_allow, logged_deny):
        assert row.policy_version == pdp.version and row.policy_version.startswith(f"{VERSION}+")
        assert row.inputs["subject"]["role"] == "VIEWER" and row.inputs["target"]["company_id"] == "cmp_1"
    assert logged_deny.action == "member.invite" and logged_deny.principal == 'User::"usr_1"'


async def test_a_decision_inside_the_callers_transaction_rolls_back_with_it(
    pdp: PolicyDecisionPoint, database_url: str
) -> None:
    db = Database(database_url)
    try:
        with pytest.raises(RuntimeError):
            async with db.unit_of_work() as session:
                await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "company.read", COMPANY, session=session)
                raise RuntimeError("the caller's work failed")
        async with db.unit_of_work() as session:
            kept = await pdp.decide(Subject("usr_1", "cmp_1", "VIEWER"), "company.read", COMPANY, session=session)
        async with db.sessions() as session:
            ids = [r.id for r in (await session.execute(select(PolicyDecisionRow))).scalars()]
    finally:
        await db.dispose()
    assert ids == [kept.decision_id]
