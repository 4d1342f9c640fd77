"""Ledger writes given a request context join the request's unit of work (ADR 0021): their rows,
idempotency records and events commit or roll back with the caller's transaction, the ledger neither
commits nor retries them, and a client id still gives back its first result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError

from core.ledger.api import Hold, HoldSpec, Ledger, NewAccount, Transaction, transfer
from core.ledger.tables import LedgerRequest
from core.ledger.unit_of_work import retryable
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.problems import ProblemError
from core.platform.security import Principal
from core.platform.tables import OutboxEvent

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the request's SQL transaction, on each database

CLIENT_IDS = ("r-open", "r-open-2", "r-top", "r-move", "r-back", "r-batch-1", "r-batch-2", "r-hold", "r-hold-post",
              "r-hold-2", "r-void", "r-chain-1", "r-chain-2", "r-chain-post", "r-chain-3", "r-chain-void",
              "r-freeze", "r-close")


class Rollback(Exception):
    """Raised inside a request to make its unit of work roll back."""


@asynccontextmanager
async def request(db: Database) -> AsyncIterator[RequestContext]:
    """A request's unit of work, as the invoker opens and commits it."""
    async with db.unit_of_work() as session:
        yield RequestContext.of_work(session, Principal(new_id("usr"), "USER"))


async def ledger_events(db: Database) -> int:
    async with db.unit_of_work() as session:
        return (await session.execute(select(func.count()).where(
            OutboxEvent.event_type.like("darca.ledger.%")))).scalar_one()  # type: ignore[attr-defined]


async def recorded(db: Database) -> set[str]:
    async with db.unit_of_work() as session:
        rows = await session.execute(select(LedgerRequest.client_id).where(
            LedgerRequest.client_id.in_(CLIENT_IDS)))  # type: ignore[attr-defined]
        return set(rows.scalars())


async def every_write(ledger: Ledger, ctx: RequestContext, alice: str, bob: str) -> dict[str, str]:
    """One of each facade write, all inside the one request; each answers as it would on its own."""
    in_an_hour = utcnow() + timedelta(hours=1)
    carol = await ledger.open_account(ctx, NewAccount("r-open", "PERSON", new_id("usr"), "EUR"))
    dave = await ledger.open_account(ctx, NewAccount("r-open-2", "PERSON", new_id("usr"), "EUR"))
    topped = await ledger.top_up(ctx, "r-top", carol.id, 500)
    moved = await ledger.transfer(ctx, "r-move", alice, bob, 100)
    back = await ledger.reverse(ctx, "r-back", moved.id)
    [batch_ok, batch_refused] = await ledger.post_transactions(ctx, [
        transfer("r-batch-1", alice, bob, 7), transfer("r-batch-2", bob, alice, 10**9)], linked=False)
    hold = await ledger.create_hold(ctx, HoldSpec("r-hold", alice, bob, 300, in_an_hour))
    posted = await ledger.post_hold(ctx, "r-hold-post", hold.id, 200)
    second = await ledger.create_hold(ctx, HoldSpec("r-hold-2", alice, bob, 50, in_an_hour))
    voided = await ledger.void_hold(ctx, "r-void", second.id)
    chain = await ledger.create_holds(ctx, [HoldSpec("r-chain-1", alice, bob, 10, in_an_hour),
                                            HoldSpec("r-chain-2", alice, bob, 20, in_an_hour)], linked=True)
    [other] = await ledger.create_holds(ctx, [HoldSpec("r-chain-3", alice, bob, 5, in_an_hour)], linked=True)
    assert isinstance(chain[0], Hold) and isinstance(other, Hold) and chain[0].chain_id and other.chain_id
    chained = await ledger.post_chain(ctx, "r-chain-post", chain[0].chain_id)
    unchained = await ledger.void_chain(ctx, "r-chain-void", other.chain_id)
    frozen = await ledger.freeze(ctx, "r-freeze", carol.id, "CREDITS")
    closed = await ledger.close(ctx, "r-close", dave.id)
    expired = await ledger.expire_due(ctx, now=utcnow() + timedelta(minutes=10))  # the hold made before the request
    assert topped.entries[-1].balance_after == 500 and back.reverses_id == moved.id
    assert isinstance(batch_ok, Transaction)
    assert isinstance(batch_refused, ProblemError) and batch_refused.code == "INSUFFICIENT_FUNDS"
    assert (posted.status, voided.status, frozen.freeze, closed.status, expired) == (
        "POSTED", "VOIDED", "CREDITS", "CLOSED", 1)
    assert [h.status for h in chained] == ["POSTED", "POSTED"] and [h.status for h in unchained] == ["VOIDED"]
    assert (await ledger.get_account(ctx, alice)).posted == 10_000 - 7 - 200 - 30  # read on the request's unit
    return {"carol": carol.id, "topped": topped.id, "hold": hold.id}


async def started(ledger: Ledger) -> tuple[str, str, str]:
    """Alice funded, Bob empty, and a hold of Alice's due to expire (written before the request)."""
    alice, bob = await funded(ledger, 10_000), await wallet(ledger)
    expiring = await ledger.create_hold(None, HoldSpec(new_id("cid"), alice.id, bob.id, 1,
                                                       utcnow() + timedelta(minutes=5)))
    return alice.id, bob.id, expiring.id


async def test_writes_inside_a_request_commit_with_it(ledger: Ledger, db: Database) -> None:
    alice, bob, expiring = await started(ledger)
    events_before = await ledger_events(db)
    commits: list[int] = []
    ledger.on_commit = lambda: commits.append(1)
    async with request(db) as ctx:
        made = await every_write(ledger, ctx, alice, bob)
        assert not commits  # the ledger committed nothing of its own: the request's invoker commits
        with pytest.raises(ProblemError) as unseen:  # not visible outside the request before it commits
            await ledger.get_account(None, made["carol"])
        assert unseen.value.code == "ACCOUNT_NOT_FOUND"
    assert (await ledger.get_account(None, alice)).posted == 10_000 - 7 - 200 - 30
    assert (await ledger.get_account(None, bob)).posted == 7 + 200 + 30
    carol = await ledger.get_account(None, made["carol"])
    assert (carol.posted, carol.freeze) == (500, "CREDITS")
    assert (await ledger.get_hold(None, expiring)).status == "EXPIRED"
    assert (await ledger.get_transaction(None, made["topped"])).type == "TOP_UP"
    assert await recorded(db) == set(CLIENT_IDS)  # the batch's refusal too, as on the ledger's own units
    assert await ledger_events(db) > events_before


async def test_writes_inside_a_request_roll_back_with_it(ledger: Ledger, db: Database) -> None:
    alice, bob, expiring = await started(ledger)
    events_before = await ledger_events(db)
    with pytest.raises(Rollback):
        async with request(db) as ctx:
            made = await every_write(ledger, ctx, alice, bob)
            raise Rollback
    assert (await ledger.get_account(None, alice)).posted == 10_000
    assert (await ledger.get_account(None, bob)).posted == 0
    with pytest.raises(ProblemError):
        await ledger.get_account(None, made["carol"])
    assert (await ledger.get_hold(None, expiring)).status == "PENDING"
    assert await recorded(db) == set()
    assert await ledger_events(db) == events_before
    # Nothing was recorded: the ids are free again, and run afresh (on the ledger's own units here).
    again = await ledger.transfer(None, "r-move", alice, bob, 40)
    assert again.entries[-1].balance_after == 40


async def test_a_client_id_gives_its_first_result_inside_requests(ledger: Ledger, db: Database) -> None:
    alice, bob = (await funded(ledger, 1_000)).id, (await wallet(ledger)).id
    async with request(db) as ctx:
        first = await ledger.transfer(ctx, "same", alice, bob, 100)
        assert (await ledger.transfer(ctx, "same", alice, bob, 100)).id == first.id  # within the same request
    async with request(db) as ctx:
        assert (await ledger.transfer(ctx, "same", alice, bob, 100)).id == first.id
        with pytest.raises(ProblemError) as reused:
            await ledger.transfer(ctx, "same", alice, bob, 999)
        assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
    # Ids recorded by the ledger's own units answer the same inside a request, refusals included.
    own = await ledger.transfer(None, "own", alice, bob, 5)
    with pytest.raises(ProblemError):
        await ledger.transfer(None, "own-refused", bob, alice, 10**9)
    await ledger.top_up(None, new_id("cid"), bob, 10**9)
    async with request(db) as ctx:
        assert (await ledger.transfer(ctx, "own", alice, bob, 5)).id == own.id
        with pytest.raises(ProblemError) as refused:
            await ledger.transfer(ctx, "own-refused", bob, alice, 10**9)
        assert refused.value.code == "INSUFFICIENT_FUNDS"
        hold = await ledger.create_hold(ctx, HoldSpec("h-same", alice, bob, 10, utcnow() + timedelta(hours=1)))
    async with request(db) as ctx:
        assert (await ledger.create_hold(ctx, HoldSpec("h-same", alice, bob, 10, hold.expires_at))).id == hold.id
    assert (await ledger.get_account(None, alice)).posted == 1_000 - 100 - 5


async def test_a_refusal_inside_a_request_is_raised_for_the_caller_to_roll_back(ledger: Ledger, db: Database) -> None:
    alice, bob = (await funded(ledger, 100)).id, (await wallet(ledger)).id
    with pytest.raises(ProblemError) as refused:
        async with request(db) as ctx:
            await ledger.transfer(ctx, "ok-first", alice, bob, 60)
            await ledger.post_transactions(ctx, [transfer("linked-1", alice, bob, 30),
                                                 transfer("linked-2", alice, bob, 30)])
    assert refused.value.code == "INSUFFICIENT_FUNDS"
    assert (await ledger.get_account(None, alice)).posted == 100  # the whole request rolled back
    # The refusal is the caller's to keep (an API call's Idempotency-Key stores it): the ledger recorded
    # none, so the ids run again once the money is there.
    async with request(db) as ctx:
        [one, two] = await ledger.post_transactions(ctx, [transfer("linked-1", alice, bob, 30),
                                                          transfer("linked-2", alice, bob, 30)])
    assert isinstance(one, Transaction) and isinstance(two, Transaction)


@pytest.mark.backends("postgresql")  # a snapshot older than a committed change of a locked row
async def test_a_serialization_failure_inside_a_request_reaches_the_caller_unretried(
        ledger: Ledger, db: Database) -> None:
    alice, bob = (await funded(ledger, 1_000)).id, (await wallet(ledger)).id
    locks: list[str] = []

    def executed(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "FOR UPDATE" in statement and "ledger_accounts" in statement:
            locks.append(statement)

    with pytest.raises(DBAPIError) as failure:
        async with request(db) as ctx:
            await ctx.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            await ctx.session.execute(text("SELECT 1"))  # the request's snapshot is taken here
            await ledger.transfer(None, "meanwhile", alice, bob, 10)  # commits after that snapshot
            event.listen(db.engine.sync_engine, "before_cursor_execute", executed)
            try:
                await ledger.transfer(ctx, "in-request", alice, bob, 20)
            finally:
                event.remove(db.engine.sync_engine, "before_cursor_execute", executed)
    assert retryable(failure.value)  # 40001, handed to the invoker as it is
    assert len(locks) == 1  # tried once: re-running it is the caller's decision, with its whole transaction
    assert (await ledger.get_account(None, bob)).posted == 10
