"""Accounts, transactions, bounds, freezes, reversals and idempotency through the facade."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.ledger.api import HoldSpec, Ledger, NewAccount, Posting, TransactionSpec
from core.ledger.models import transfer
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.money import MAX_AMOUNT
from core.platform.problems import ProblemError

from .conftest import funded, wallet

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's SQL paths


async def test_transfer_moves_money_and_records_running_balances(ledger: Ledger) -> None:
    alice = await funded(ledger, 10_000)
    bob = await wallet(ledger)
    txn = await ledger.transfer(None, "t-1", alice.id, bob.id, 2_550, metadata={"note": "rent"}, external_reference="ext-9")
    assert [(e.account_id, e.amount, e.balance_after) for e in txn.entries] == [
        (alice.id, -2_550, 7_450), (bob.id, 2_550, 2_550)]
    assert txn.metadata == {"note": "rent"} and txn.external_reference == "ext-9"
    assert (await ledger.get_account(None, alice.id)).posted == 7_450
    assert (await ledger.get_account(None, bob.id)).version == 1
    world = await ledger.system_account(None, "EXTERNAL_WORLD", "EUR")
    assert world.posted == -10_000 and world.allow_negative
    loaded = await ledger.get_transaction(None, txn.id)
    assert loaded.entries[0].counterparty_id == bob.id


async def test_customer_wallet_cannot_go_negative(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    with pytest.raises(ProblemError) as refused:
        await ledger.transfer(None, "t-2", alice.id, bob.id, 101)
    assert refused.value.code == "INSUFFICIENT_FUNDS"
    assert (await ledger.get_account(None, alice.id)).posted == 100
    assert (await ledger.get_account(None, bob.id)).posted == 0


async def test_credit_limit_and_max_balance(ledger: Ledger) -> None:
    alice = await funded(ledger, 100, credit_limit=50)
    bob = await wallet(ledger, max_balance=120)
    await ledger.transfer(None, "t-3", alice.id, bob.id, 120)
    assert (await ledger.get_account(None, alice.id)).posted == -20
    with pytest.raises(ProblemError) as full:
        await ledger.transfer(None, "t-4", alice.id, bob.id, 1)
    assert full.value.code == "MAX_BALANCE_EXCEEDED"
    carol = await wallet(ledger)
    await ledger.transfer(None, "t-5", alice.id, carol.id, 30)
    with pytest.raises(ProblemError) as limit:
        await ledger.transfer(None, "t-6", alice.id, carol.id, 1)
    assert limit.value.code == "INSUFFICIENT_FUNDS"


async def test_postings_must_sum_to_zero_per_asset(ledger: Ledger) -> None:
    eur = await funded(ledger, 100)
    btc = await funded(ledger, 100, "BTC")
    other = await wallet(ledger)
    with pytest.raises(ProblemError) as unbalanced:
        await ledger.post_transaction(None, TransactionSpec("t-7", (Posting(eur.id, -100), Posting(other.id, 90))))
    assert unbalanced.value.code == "TRANSACTION_UNBALANCED"
    with pytest.raises(ProblemError) as mixed:
        await ledger.post_transaction(None, TransactionSpec("t-8", (Posting(eur.id, -100), Posting(btc.id, 100))))
    assert mixed.value.code == "TRANSACTION_UNBALANCED"


async def test_multi_leg_transaction_with_fees(ledger: Ledger) -> None:
    alice = await funded(ledger, 1_000)
    bob = await wallet(ledger)
    fees = await ledger.system_account(None, "FEES_REVENUE", "EUR")
    txn = await ledger.post_transaction(None, TransactionSpec(
        "t-9", (Posting(alice.id, -1_000, "EUR"), Posting(bob.id, 990), Posting(fees.id, 10)), type="PAYMENT"))
    assert sum(e.amount for e in txn.entries) == 0
    assert (await ledger.get_account(None, fees.id)).posted == 10
    assert txn.entries[0].counterparty_id is None


async def test_linked_batch_is_all_or_nothing(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    with pytest.raises(ProblemError) as refused:
        await ledger.post_transactions(None, [transfer("b-1", alice.id, bob.id, 60), transfer("b-2", alice.id, bob.id, 60)])
    assert refused.value.code == "INSUFFICIENT_FUNDS"
    assert (await ledger.get_account(None, bob.id)).posted == 0
    # Both stay failed: the first with LINKED_TRANSACTION_FAILED, the culprit with its own reason.
    with pytest.raises(ProblemError) as again:
        await ledger.post_transaction(None, transfer("b-1", alice.id, bob.id, 60))
    assert again.value.code == "LINKED_TRANSACTION_FAILED"
    results = await ledger.post_transactions(None, 
        [transfer("b-3", alice.id, bob.id, 60), transfer("b-4", alice.id, bob.id, 60)], linked=False)
    assert not isinstance(results[0], ProblemError)
    assert isinstance(results[1], ProblemError) and results[1].code == "INSUFFICIENT_FUNDS"
    assert (await ledger.get_account(None, bob.id)).posted == 60


async def test_idempotency_by_client_id(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    first = await ledger.transfer(None, "same", alice.id, bob.id, 40)
    again = await ledger.transfer(None, "same", alice.id, bob.id, 40)
    assert again.id == first.id and again.entries == first.entries
    assert (await ledger.get_account(None, alice.id)).posted == 60
    with pytest.raises(ProblemError) as reused:
        await ledger.transfer(None, "same", alice.id, bob.id, 41)
    assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
    with pytest.raises(ProblemError) as failed:
        await ledger.transfer(None, "too-much", alice.id, bob.id, 1_000)
    await ledger.top_up(None, "more", alice.id, 10_000)
    with pytest.raises(ProblemError) as still_failed:
        await ledger.transfer(None, "too-much", alice.id, bob.id, 1_000)
    assert failed.value.code == still_failed.value.code == "INSUFFICIENT_FUNDS"


async def test_freeze_and_close(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    await ledger.freeze(None, "f-1", alice.id, "DEBITS")
    with pytest.raises(ProblemError) as frozen:
        await ledger.transfer(None, "f-2", alice.id, bob.id, 1)
    assert frozen.value.code == "ACCOUNT_FROZEN"
    await ledger.transfer(None, "f-3", bob.id, alice.id, 0) if False else None
    await ledger.freeze(None, "f-4", bob.id, "CREDITS")
    await ledger.freeze(None, "f-5", alice.id, "NONE")
    with pytest.raises(ProblemError) as frozen_credit:
        await ledger.transfer(None, "f-6", alice.id, bob.id, 1)
    assert frozen_credit.value.code == "ACCOUNT_FROZEN"
    with pytest.raises(ProblemError) as not_empty:
        await ledger.close(None, "f-7", alice.id)
    assert not_empty.value.code == "ACCOUNT_NOT_EMPTY"
    closed = await ledger.close(None, "f-8", bob.id)
    assert closed.status == "CLOSED"
    with pytest.raises(ProblemError) as gone:
        await ledger.transfer(None, "f-9", alice.id, bob.id, 1)
    assert gone.value.code == "ACCOUNT_CLOSED"


async def test_one_wallet_per_owner_and_asset(ledger: Ledger) -> None:
    first = await wallet(ledger, owner="usr_x")
    with pytest.raises(ProblemError) as dup:
        await wallet(ledger, owner="usr_x")
    assert dup.value.code == "ACCOUNT_ALREADY_EXISTS"
    assert (await wallet(ledger, "BTC", owner="usr_x")).id != first.id
    with pytest.raises(ProblemError) as unknown:
        await ledger.open_account(None, NewAccount("o-1", "PERSON", "usr_y", "XYZ"))
    assert unknown.value.code == "ASSET_NOT_FOUND"


async def test_reversal_points_at_the_original_once(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    original = await ledger.transfer(None, "r-1", alice.id, bob.id, 70)
    reversal = await ledger.reverse(None, "r-2", original.id)
    assert reversal.reverses_id == original.id and reversal.type == "REVERSAL"
    assert {e.account_id: e.amount for e in reversal.entries} == {alice.id: 70, bob.id: -70}
    assert (await ledger.get_account(None, alice.id)).posted == 100
    with pytest.raises(ProblemError) as twice:
        await ledger.reverse(None, "r-3", original.id)
    assert twice.value.code == "TRANSACTION_ALREADY_REVERSED"


async def test_the_database_keeps_a_second_reversal_out(ledger: Ledger, db: Database) -> None:
    """Behind the service's check, the schema itself: one reversal per transaction (an index over
    the reversals only; the many transactions that reverse nothing share its NULL freely)."""
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    original = await ledger.transfer(None, "rr-1", alice.id, bob.id, 10)
    await ledger.transfer(None, "rr-2", alice.id, bob.id, 10)  # two more rows without a reversal
    reversal = await ledger.reverse(None, "rr-3", original.id)
    insert = text("INSERT INTO ledger_transactions (id, client_id, type, reverses_id, metadata, digest, posted_at) "
                  "VALUES (:id, :client_id, 'REVERSAL', :reverses, '{}', :digest, :at)")
    with pytest.raises(IntegrityError):
        async with db.unit_of_work() as session:
            await session.execute(insert, {"id": new_id("txn"), "client_id": "rr-4", "reverses": original.id,
                                           "digest": "0" * 64, "at": reversal.posted_at})
    async with db.unit_of_work() as session:
        count = (await session.execute(text("SELECT count(*) FROM ledger_transactions WHERE reverses_id = :id"),
                                       {"id": original.id})).scalar_one()
    assert count == 1


async def test_eth_amounts_beyond_64_bits(ledger: Ledger) -> None:
    whale = await funded(ledger, 12_345 * 10**18, "ETH")
    other = await wallet(ledger, "ETH")
    await ledger.transfer(None, "eth-1", whale.id, other.id, 10_000 * 10**18 + 1)
    assert (await ledger.get_account(None, other.id)).posted == 10_000 * 10**18 + 1


async def test_top_up_refused_outside_sandbox(db: Database) -> None:
    production = Ledger(db, sandbox=False)
    account = await wallet(production)
    with pytest.raises(ProblemError) as refused:
        await production.top_up(None, "top-1", account.id, 100)
    assert (refused.value.status, refused.value.code) == (403, "SANDBOX_ONLY")


async def test_crash_before_commit_leaves_nothing_and_retry_succeeds(ledger: Ledger) -> None:
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)

    def crash(stage: str) -> None:
        raise RuntimeError(f"power cut at {stage}")

    ledger.fault = crash
    with pytest.raises(RuntimeError):
        await ledger.transfer(None, "c-1", alice.id, bob.id, 30)
    ledger.fault = None
    assert (await ledger.get_account(None, alice.id)).posted == 100
    txn = await ledger.transfer(None, "c-1", alice.id, bob.id, 30)
    assert (await ledger.get_account(None, bob.id)).posted == 30 and txn.client_id == "c-1"


@pytest.mark.backends("postgresql")  # triggers guard the journal on PostgreSQL
async def test_journal_is_append_only_on_postgresql(ledger: Ledger, db: Database) -> None:
    alice = await funded(ledger, 100)
    for statement in ("UPDATE ledger_entries SET amount = 1", "DELETE FROM ledger_entries",
                      "UPDATE ledger_transactions SET type = 'X'", "DELETE FROM ledger_transactions",
                      "TRUNCATE ledger_entries"):
        with pytest.raises(Exception, match="append-only"):
            async with db.unit_of_work() as session:
                await session.execute(text(statement))
    assert (await ledger.get_account(None, alice.id)).posted == 100


async def test_new_ids_differ() -> None:
    assert new_id("acc") != new_id("acc")


async def test_batch_of_several_thousand(ledger: Ledger) -> None:
    accounts = [await funded(ledger, 100_000) for _ in range(20)]
    specs = [transfer(f"big-{i}", accounts[i % 20].id, accounts[(i * 7 + 1) % 20].id, 1 + i % 50) for i in range(3_000)]
    results = await ledger.post_transactions(None, specs, linked=False)
    assert not [r for r in results if isinstance(r, ProblemError)]
    replayed = await ledger.post_transactions(None, specs, linked=False)
    assert [t.id for t in replayed] == [t.id for t in results]  # type: ignore[union-attr]
    total = sum([(await ledger.get_account(None, a.id)).posted for a in accounts])
    assert total == 20 * 100_000


async def test_concurrent_transfers_share_units_of_work_but_fail_alone(ledger: Ledger) -> None:
    import asyncio

    alice = await funded(ledger, 1_000)
    bob = await wallet(ledger)
    calls = [ledger.transfer(None, f"g-{i}", alice.id, bob.id, 10) for i in range(40)]
    calls.append(ledger.transfer(None, "g-too-much", alice.id, bob.id, 10_000))
    calls.append(ledger.transfer(None, "g-0", alice.id, bob.id, 10))  # a concurrent retry of the same id
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(results[40], ProblemError) and results[40].code == "INSUFFICIENT_FUNDS"
    assert results[41].id == results[0].id  # type: ignore[union-attr]
    posted = [r for r in results[:40] if not isinstance(r, BaseException)]
    assert len(posted) == 40
    assert len({t.posted_at for t in posted}) < 40  # grouped into fewer units of work than calls
    assert (await ledger.get_account(None, bob.id)).posted == 400


async def test_a_group_is_split_only_where_its_halves_share_no_account(ledger: Ledger) -> None:
    import asyncio

    payers = [await funded(ledger, 1_000) for _ in range(16)]
    payees = [await wallet(ledger) for _ in range(16)]
    apart = await asyncio.gather(*(ledger.transfer(None, f"apart-{i}", payers[i].id, payees[i].id, 10) for i in range(16)))
    assert len({t.posted_at for t in apart}) == 2  # two units of work of 8, side by side
    shared = await asyncio.gather(*(ledger.transfer(None, f"shared-{i}", payers[0].id, payees[i].id, 10) for i in range(16)))
    assert len({t.posted_at for t in shared}) == 1  # every transfer debits the same account: one unit
    assert (await ledger.get_account(None, payers[0].id)).posted == 1_000 - 10 - 16 * 10


async def test_group_commit_can_be_turned_off(db: Database) -> None:
    ledger = Ledger(db, group_commit=False)
    alice = await funded(ledger, 100)
    bob = await wallet(ledger)
    import asyncio

    results = await asyncio.gather(*(ledger.transfer(None, f"n-{i}", alice.id, bob.id, 10) for i in range(5)))
    assert len({t.posted_at for t in results}) == 5


async def test_text_holding_separator_characters_is_stored_exactly(ledger: Ledger, db: Database) -> None:
    """The PostgreSQL write packs each column into one string; text that holds its separators
    (only client-supplied text can) makes the unit go as arrays instead. Nothing is lost either way."""
    alice, bob = await funded(ledger, 1_000), await wallet(ledger)
    odd = {"note": "unit\x1fsep", "record": "\x1e"}
    specs = [transfer("plain-1", alice.id, bob.id, 10, external_reference="ref-1"),
             transfer("odd\x1fid", alice.id, bob.id, 20, external_reference="\x1e", metadata=odd),
             transfer("plain-2", alice.id, bob.id, 30, metadata=odd)]
    results = await ledger.post_transactions(None, specs, linked=False)
    stored = {t.client_id: t for t in await ledger.transactions(None, [r.id for r in results])}  # type: ignore[union-attr]
    assert stored["odd\x1fid"].external_reference == "\x1e"
    assert stored["odd\x1fid"].metadata == odd
    assert stored["plain-2"].metadata == odd
    assert stored["plain-1"].external_reference == "ref-1"
    [empty] = await ledger.post_transactions(None, [transfer("empty-ref", alice.id, bob.id, 5, external_reference="")])
    assert (await ledger.get_transaction(None, empty.id)).external_reference == ""  # type: ignore[union-attr]
    assert (await ledger.balance(None, bob.id)).posted == 65
    assert (await verify(db)).ok


async def test_balances_beyond_the_amount_columns_are_refused_not_overflowed(ledger: Ledger) -> None:
    source = await wallet(ledger, allow_negative=True)
    target = await wallet(ledger)
    await ledger.transfer(None, "big-1", source.id, target.id, MAX_AMOUNT)
    for client_id, amount in (("big-2", 1), ("big-3", MAX_AMOUNT + 1)):
        with pytest.raises(ProblemError) as refused:
            await ledger.transfer(None, client_id, source.id, target.id, amount)
        assert (refused.value.status, refused.value.code) == (422, "AMOUNT_OUT_OF_RANGE")
    await ledger.create_hold(None, HoldSpec("big-h1", source.id, target.id, MAX_AMOUNT, utcnow() + timedelta(hours=1)))
    with pytest.raises(ProblemError) as pending:
        await ledger.create_hold(None, HoldSpec("big-h2", source.id, target.id, 1, utcnow() + timedelta(hours=1)))
    assert pending.value.code == "AMOUNT_OUT_OF_RANGE"
    assert (await ledger.get_account(None, target.id)).posted == MAX_AMOUNT
    assert (await ledger.get_account(None, source.id)).posted == -MAX_AMOUNT
