"""Two-phase holds: pending, available, post in full or in part, void, expire, chains."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.ledger.api import HoldSpec, Ledger
from core.platform.clock import Clock, utcnow
from core.platform.problems import ProblemError

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's SQL paths (holds, expiry)


def later(minutes: int = 10):  # type: ignore[no-untyped-def]
    return utcnow() + timedelta(minutes=minutes)


async def test_hold_counts_against_available_and_posts_in_part(ledger: Ledger) -> None:
    alice = await funded(ledger, 1_000)
    shop = await wallet(ledger)
    hold = await ledger.create_hold(None, HoldSpec("h-1", alice.id, shop.id, 600, later()))
    balance = await ledger.balance(None, alice.id)
    assert (balance.posted, balance.pending, balance.available) == (1_000, 600, 400)
    with pytest.raises(ProblemError) as short:
        await ledger.transfer(None, "h-2", alice.id, shop.id, 401)
    assert short.value.code == "INSUFFICIENT_FUNDS"
    with pytest.raises(ProblemError) as too_much:
        await ledger.post_hold(None, "h-3", hold.id, 601)
    assert too_much.value.code == "POST_EXCEEDS_HOLD"
    posted = await ledger.post_hold(None, "h-4", hold.id, 450)
    assert (posted.status, posted.posted_amount) == ("POSTED", 450) and posted.transaction_id
    balance = await ledger.balance(None, alice.id)
    assert (balance.posted, balance.pending, balance.available) == (550, 0, 550)
    assert (await ledger.get_account(None, shop.id)).posted == 450
    txn = await ledger.get_transaction(None, posted.transaction_id)
    assert txn.hold_id == hold.id and txn.type == "HOLD_POST"
    # Resolves once; replaying the same post is the same answer.
    assert (await ledger.post_hold(None, "h-4", hold.id, 450)).transaction_id == posted.transaction_id
    with pytest.raises(ProblemError) as again:
        await ledger.void_hold(None, "h-5", hold.id)
    assert again.value.code == "HOLD_ALREADY_RESOLVED"


async def test_void_releases_and_cannot_post_afterwards(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    shop = await wallet(ledger)
    hold = await ledger.create_hold(None, HoldSpec("v-1", alice.id, shop.id, 100, later()))
    with pytest.raises(ProblemError) as none_left:
        await ledger.create_hold(None, HoldSpec("v-2", alice.id, shop.id, 1, later()))
    assert none_left.value.code == "INSUFFICIENT_FUNDS"
    voided = await ledger.void_hold(None, "v-3", hold.id)
    assert voided.status == "VOIDED" and (await ledger.balance(None, alice.id)).available == 100
    with pytest.raises(ProblemError) as resolved:
        await ledger.post_hold(None, "v-4", hold.id)
    assert resolved.value.code == "HOLD_ALREADY_RESOLVED"


async def test_expiry_by_the_scheduler_job(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    shop = await wallet(ledger)
    hold = await ledger.create_hold(None, HoldSpec("e-1", alice.id, shop.id, 70, later(1)))
    assert await ledger.expire_due(None) == 0
    assert await ledger.expire_due(None, now=later(2)) == 1
    expired = await ledger.get_hold(None, hold.id)
    assert expired.status == "EXPIRED" and expired.resolved_at is not None
    assert (await ledger.balance(None, alice.id)).available == 100
    with pytest.raises(ProblemError) as late:
        await ledger.post_hold(None, "e-2", hold.id)
    assert late.value.code == "HOLD_ALREADY_RESOLVED"
    assert await ledger.expire_due(None, now=later(3)) == 0


async def test_post_after_deadline_is_refused_even_before_the_scheduler_ran(ledger: Ledger, clock: Clock) -> None:
    alice = await funded(ledger, 100)
    shop = await wallet(ledger)
    hold = await ledger.create_hold(None, HoldSpec("d-1", alice.id, shop.id, 70, utcnow() + timedelta(milliseconds=50)))
    clock.advance(timedelta(milliseconds=100))
    with pytest.raises(ProblemError) as late:
        await ledger.post_hold(None, "d-2", hold.id)
    assert late.value.code == "HOLD_EXPIRED"


async def test_linked_holds_form_a_chain_posted_in_one_call(ledger: Ledger) -> None:
    alice = await funded(ledger, 1_000)
    shop, fees = await wallet(ledger), await ledger.system_account(None, "FEES_REVENUE", "EUR")
    holds = await ledger.create_holds(None, [HoldSpec("ch-1", alice.id, shop.id, 500, later()),
                                       HoldSpec("ch-2", alice.id, fees.id, 20, later())], linked=True)
    chain = holds[0].chain_id
    assert chain and all(h.chain_id == chain for h in holds)
    posted = await ledger.post_chain(None, "ch-post", chain)
    assert [h.status for h in posted] == ["POSTED", "POSTED"]
    assert (await ledger.get_account(None, alice.id)).posted == 480
    assert (await ledger.get_account(None, fees.id)).posted == 20
    with pytest.raises(ProblemError):
        await ledger.void_chain(None, "ch-void", chain)


async def test_linked_hold_creation_is_all_or_nothing_and_chains_void_together(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    shop = await wallet(ledger)
    with pytest.raises(ProblemError) as refused:
        await ledger.create_holds(None, [HoldSpec("l-1", alice.id, shop.id, 60, later()),
                                   HoldSpec("l-2", alice.id, shop.id, 60, later())], linked=True)
    assert refused.value.code == "INSUFFICIENT_FUNDS"
    assert (await ledger.balance(None, alice.id)).pending == 0
    holds = await ledger.create_holds(None, [HoldSpec("l-3", alice.id, shop.id, 30, later()),
                                       HoldSpec("l-4", alice.id, shop.id, 30, later())], linked=True)
    voided = await ledger.void_chain(None, "l-void", holds[0].chain_id)
    assert {h.status for h in voided} == {"VOIDED"}
    assert (await ledger.balance(None, alice.id)).available == 100
