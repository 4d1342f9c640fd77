"""Ledger events go through the outbox with the state change, match the AsyncAPI contract, and are
ordered per account (partition key = account id, versions increasing in outbox order)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.ledger.api import HoldSpec, Ledger
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.outbox import envelope_of
from core.platform.problems import ProblemError
from core.platform.tables import OutboxEvent
from generated.asyncapi.publishers import EVENT_TYPES

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's events written in its SQL units of work


async def _events(db: Database) -> list[dict]:
    """The ledger's events as the relay publishes them, each checked against the contract."""
    async with db.unit_of_work() as session:
        rows = (await session.execute(
            select(OutboxEvent).where(OutboxEvent.event_type.like("darca.ledger.%"))  # type: ignore[attr-defined]
            .order_by(OutboxEvent.sequence))).scalars().all()  # type: ignore[arg-type]
    out = []
    for row in rows:
        envelope = envelope_of(row)
        EVENT_TYPES[row.event_type].envelope_model.model_validate(envelope)
        assert envelope["partitionkey"] == row.partition_key
        out.append(envelope)
    return out


async def test_events_for_transactions_and_holds(ledger: Ledger, db: Database) -> None:
    alice = await funded(ledger, 10_000)
    bob = await wallet(ledger)
    for i in range(3):
        await ledger.transfer(None, f"e-{i}", alice.id, bob.id, 100)
    hold = await ledger.create_hold(None, HoldSpec("e-h1", alice.id, bob.id, 500, utcnow() + timedelta(hours=1)))
    await ledger.post_hold(None, "e-h2", hold.id, 200)
    voided = await ledger.create_hold(None, HoldSpec("e-h3", alice.id, bob.id, 50, utcnow() + timedelta(hours=1)))
    await ledger.void_hold(None, "e-h4", voided.id)
    expiring = await ledger.create_hold(None, HoldSpec("e-h5", alice.id, bob.id, 10, utcnow() + timedelta(seconds=1)))
    await ledger.expire_due(None, now=utcnow() + timedelta(seconds=2))
    try:
        await ledger.transfer(None, "e-fail", alice.id, bob.id, 10**9)
    except ProblemError:
        pass

    events = await _events(db)
    types = defaultdict(int)
    for event in events:
        types[event["type"]] += 1
    assert types["darca.ledger.transaction_posted.v1"] == 5  # top-up, 3 transfers, hold post; none for the refusal
    assert types["darca.ledger.hold_created.v1"] == 3
    assert types["darca.ledger.hold_posted.v1"] == types["darca.ledger.hold_voided.v1"] == 1
    assert types["darca.ledger.hold_expired.v1"] == 1
    expired = next(e for e in events if e["type"] == "darca.ledger.hold_expired.v1")
    assert expired["data"]["hold_id"] == expiring.id and expired["partitionkey"] == alice.id

    # Per account, balance changes arrive in version order and end at the current balance.
    changes = [e for e in events if e["type"] == "darca.ledger.balance_changed.v1" and e["partitionkey"] == alice.id]
    versions = [c["data"]["version"] for c in changes]
    assert versions == sorted(versions)
    last = changes[-1]["data"]
    account = await ledger.get_account(None, alice.id)
    eur = {"amount": "95.00", "asset": "EUR"}  # every amount is a Money
    assert (last["posted"], last["available"], last["version"]) == (eur, eur, account.version)
    posted = [e for e in events if e["type"] == "darca.ledger.transaction_posted.v1"][-1]["data"]
    assert posted["hold_id"] == hold.id
    two = {"amount": "2.00", "asset": "EUR"}
    assert [(p["direction"], p["amount"]) for p in posted["postings"]] == [("DEBIT", two), ("CREDIT", two)]


async def test_one_balance_event_per_account_per_batch(ledger: Ledger, db: Database) -> None:
    from core.ledger.models import transfer

    alice = await funded(ledger, 1_000)
    bob, carol = await wallet(ledger), await wallet(ledger)
    before = len(await _events(db))
    await ledger.post_transactions(None, [transfer("p-1", alice.id, bob.id, 10), transfer("p-2", alice.id, carol.id, 20),
                                    transfer("p-3", bob.id, carol.id, 5)])
    new = (await _events(db))[before:]
    assert [e["type"] for e in new].count("darca.ledger.transaction_posted.v1") == 3
    changes = {e["partitionkey"]: e["data"] for e in new if e["type"] == "darca.ledger.balance_changed.v1"}
    assert len([e for e in new if e["type"] == "darca.ledger.balance_changed.v1"]) == 3
    assert (changes[alice.id]["posted"]["amount"], changes[alice.id]["version"]) == ("9.70", 3)
    assert (changes[carol.id]["posted"]["amount"], changes[carol.id]["version"]) == ("0.25", 2)
