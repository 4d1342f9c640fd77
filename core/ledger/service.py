"""Decisions of the ledger inside one unit of work.

A `LedgerService` locks the accounts a unit of work touches (all at once, in id order: the one
global lock order, so writers never deadlock), applies transactions and holds to those
in-memory states with every rule checked before anything changes, and finally writes the
journal, the new balances and the holds with one statement per table (`flush`).

On the transaction path a unit may compute on the rows the previous unit of the process left,
before its own are locked: `flush` then locks, compares and writes in one statement, which
writes nothing unless the locked rows are the predicted ones (core/ledger/prediction.py).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import as_utc
from core.platform.ids import new_id
from core.platform.money import MAX_AMOUNT, format_amount
from core.platform.observability import LEDGER_PREDICTIONS
from core.platform.outbox import BatchOutbox, instant
from core.platform.problems import ProblemError
from generated.asyncapi import events
from generated.asyncapi.publishers import EVENT_TYPES, Publishers

from . import errors
from .driver_repository import DriverLedgerRepository
from .hashing import entry_hash, genesis, transaction_digest
from .models import (
    ACCOUNT_TYPES,
    CUSTOMER_WALLET,
    OWNER_TYPES,
    Entry,
    Hold,
    HoldSpec,
    NewAccount,
    Posting,
    Transaction,
    TransactionSpec,
)
from .prediction import AccountStates, Mispredicted
from .repository import LedgerRepository, LedgerStore

OPEN, CLOSED = "OPEN", "CLOSED"
TRANSACTION_POSTED, BALANCE_CHANGED = "darca.ledger.transaction_posted.v1", "darca.ledger.balance_changed.v1"
PENDING, POSTED, VOIDED, EXPIRED = "PENDING", "POSTED", "VOIDED", "EXPIRED"


@dataclass
class ItemFailed(Exception):
    """Item `index` of a linked request was refused (-1: a replayed refusal): the unit of work rolls
    back, and the runner records the refusal for every item (core/ledger/unit_of_work.py)."""

    index: int
    problem: ProblemError


def check_new_account(new: NewAccount) -> bool:
    """The rules of a new account that need no database; returns whether it may go negative."""
    if new.owner_type not in OWNER_TYPES:
        raise errors.invalid("OWNER_TYPE_INVALID", f"owner_type must be one of {', '.join(OWNER_TYPES)}.")
    if new.type not in ACCOUNT_TYPES:
        raise errors.invalid("ACCOUNT_TYPE_INVALID", f"type must be one of {', '.join(ACCOUNT_TYPES)}.")
    if (new.type == CUSTOMER_WALLET) == (new.owner_type == "SYSTEM"):
        raise errors.invalid("ACCOUNT_TYPE_INVALID", "Customer wallets belong to people or companies; system accounts to the system.")
    for value in (new.credit_limit, new.max_balance):
        if value is not None and (type(value) is not int or value < 0):
            raise errors.invalid("AMOUNT_INVALID", "Limits are non-negative integer minor units.")
    return new.allow_negative if new.allow_negative is not None else new.type != CUSTOMER_WALLET


def floor_of(account: Mapping[str, Any]) -> int | None:
    """Lowest available balance allowed: none for unbounded accounts, else minus the credit limit."""
    return None if account["allow_negative"] else -(account["credit_limit"] or 0)


def entry_view(row: Mapping[str, Any]) -> Entry:
    return Entry(transaction_id=row["transaction_id"], account_id=row["account_id"],
                 asset=row["asset"], amount=row["amount"], balance_after=row["balance_after"],
                 account_version=row["account_version"], counterparty_id=row["counterparty_id"], type=row["type"],
                 posted_at=as_utc(row["posted_at"]))


def transaction_view(row: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> Transaction:
    return Transaction(id=row["id"], client_id=row["client_id"], type=row["type"],
                       external_reference=row["external_reference"], reverses_id=row["reverses_id"],
                       hold_id=row["hold_id"], metadata=dict(row["metadata"] or {}), posted_at=as_utc(row["posted_at"]),
                       entries=tuple(entry_view(e) for e in entries))


def hold_view(row: Mapping[str, Any], scale: int) -> Hold:
    return Hold(id=row["id"], client_id=row["client_id"], account_id=row["account_id"],
                destination_id=row["destination_id"], asset=row["asset"], scale=scale, amount=row["amount"],
                posted_amount=row["posted_amount"], status=row["status"], chain_id=row["chain_id"],
                transaction_id=row["transaction_id"], metadata=dict(row["metadata"] or {}),
                expires_at=as_utc(row["expires_at"]), created_at=as_utc(row["created_at"]),
                resolved_at=as_utc(row["resolved_at"]) if row["resolved_at"] else None)


class LedgerService:
    def __init__(self, session: AsyncSession | None, publishers: Publishers | None, *, scales: Mapping[str, int],
                 now: datetime, traceparent: str | None = None, repo: LedgerStore | None = None,
                 states: AccountStates | None = None, remember: bool = False, predict: bool = False,
                 rerun: bool = False) -> None:
        """Without `publishers`, events go to this unit of work's own outbox batch, written by `flush`.
        `repo` replaces the session's repository (the transaction path on the driver's connection).
        `states`: the process's account states (core/ledger/prediction.py). A unit that may
        `remember` leaves its rows there, others forget the accounts they change. With `predict`
        the unit takes its turn to compute, on the remembered rows when it finds them all; a `rerun`
        (its prediction missed) takes its turn too, but computes on the rows it locks."""
        if repo is None:
            assert session is not None, "a unit of work runs on a session or on the driver's connection"
            repo = LedgerRepository(session)
        self.repo: LedgerStore = repo
        self.outbox: BatchOutbox | None = None
        if publishers is None:  # the bulk path of the platform outbox, written by `flush`
            # Through a weak reference: a closure over `self` would make every unit of work a reference
            # cycle (with its session), freed only by the collector, which runs rarely (core/platform/process.py).
            service = weakref.ref(self)
            self.outbox = BatchOutbox(traceparent, clock=lambda: service().now)  # type: ignore[union-attr]
            publishers = Publishers(self.outbox)
        self.events = publishers
        self.requests: list[dict[str, Any]] = []  # idempotency records, written by `flush`
        self.scales = scales
        self.now = now
        self.accounts: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._transactions: list[dict[str, Any]] = []
        self._entries: list[dict[str, Any]] = []
        self._new_holds: list[dict[str, Any]] = []
        self._changed_holds: dict[str, dict[str, Any]] = {}
        self._reversed: set[str] = set()
        self._balance_news: dict[str, tuple[str | None, str | None]] = {}
        self._in_flight: asyncio.Future[None] | None = None  # a `write_ahead` statement not yet awaited
        self.states = states
        self._remember = states is not None and remember
        self._predict = self._remember and predict
        self._rerun = rerun
        self._turn = False  # this unit holds the process's turn to compute
        self._expected: dict[str, Mapping[str, Any]] | None = None  # predicted rows, not yet locked

    # --- locking --------------------------------------------------------------------------
    async def lock(self, account_ids: set[str]) -> None:
        """Lock every account this unit of work will touch; call once, before any change."""
        assert not self.accounts, "accounts are locked once per unit of work, in one ordered statement"
        if self._predict:
            await self.states.turn.acquire()  # type: ignore[union-attr]
            self._turn = True
            predicted = None if self._rerun else self.states.predict(account_ids)  # type: ignore[union-attr]
            if predicted is not None:  # locked and compared by `flush`, before anything is written
                self._expected = predicted
                self.accounts = {account_id: dict(row) for account_id, row in predicted.items()}
                return
        self.accounts = await self.repo.lock_accounts(account_ids)

    def _pass_turn(self) -> None:
        """This unit's computing is over: the next one may compute on the rows it leaves."""
        if self.states is None:
            return
        if self._remember:
            self.states.remember(self.accounts.values())
        else:
            self.states.forget(self._dirty)
        self._release_turn()

    def _release_turn(self) -> None:
        if self._turn:
            self._turn = False
            self.states.turn.release()  # type: ignore[union-attr]

    @property
    def orm(self) -> LedgerRepository:
        """The session path's repository: accounts and holds change there only (never on the driver's)."""
        assert isinstance(self.repo, LedgerRepository), "accounts and holds change on the session path"
        return self.repo

    def account(self, account_id: str) -> dict[str, Any]:
        found = self.accounts.get(account_id)
        if found is None:
            raise errors.account_not_found(account_id)
        return found

    def scale(self, asset: str) -> int:
        return self.scales[asset]

    # --- journal --------------------------------------------------------------------------
    def apply_transaction(self, spec: TransactionSpec, *, hold_id: str | None = None,
                          release: Mapping[str, tuple[int, int]] | None = None) -> Transaction:
        """Check every rule, then apply. `release` frees (pending debits, pending credits) of a hold being posted."""
        postings = spec.postings
        if len(postings) < 2:
            raise errors.invalid("TRANSACTION_TOO_SMALL", "A transaction needs at least two postings.")
        if len({p.account_id for p in postings}) != len(postings):
            raise errors.invalid("ACCOUNT_REPEATED", "Each account may appear only once in a transaction.")
        sums: dict[str, int] = defaultdict(int)
        for posting in postings:
            if type(posting.amount) is not int or posting.amount == 0:
                raise errors.invalid("AMOUNT_NOT_POSITIVE", "Every posting moves a non-zero integer amount.")
            account = self.account(posting.account_id)
            if posting.asset is not None and posting.asset != account["asset"]:
                raise errors.asset_mismatch(account["id"], posting.asset)
            if account["status"] != OPEN:
                raise errors.account_closed(account["id"])
            if posting.amount < 0 and account["freeze"] in ("DEBITS", "BOTH"):
                raise errors.account_frozen(account["id"], "DEBIT")
            if posting.amount > 0 and account["freeze"] in ("CREDITS", "BOTH"):
                raise errors.account_frozen(account["id"], "CREDIT")
            sums[account["asset"]] += posting.amount
        for asset, total in sums.items():
            if total != 0:
                raise errors.unbalanced(asset)
        if spec.reverses_id and spec.reverses_id in self._reversed:
            raise errors.already_reversed(spec.reverses_id)
        release = release or {}
        for posting in postings:
            account = self.accounts[posting.account_id]
            debits, _ = release.get(account["id"], (0, 0))
            posted = account["posted"] + posting.amount
            floor = floor_of(account)
            if posting.amount < 0 and floor is not None and posted - (account["pending_debits"] - debits) < floor:
                raise errors.insufficient_funds(account["id"])
            if posting.amount > 0 and account["max_balance"] is not None and posted > account["max_balance"]:
                raise errors.max_balance_exceeded(account["id"])
            if abs(posting.amount) > MAX_AMOUNT or abs(posted) > MAX_AMOUNT:  # a 422 here, not a database overflow
                raise errors.amount_out_of_range(account["id"])
        return self._write_transaction(spec, hold_id, release)

    def _write_transaction(self, spec: TransactionSpec, hold_id: str | None,
                           release: Mapping[str, tuple[int, int]]) -> Transaction:
        row = {"id": new_id("txn"), "client_id": spec.client_id, "type": spec.type,
               "external_reference": spec.external_reference, "reverses_id": spec.reverses_id, "hold_id": hold_id,
               "batch_id": None, "metadata": dict(spec.metadata), "posted_at": self.now}
        row["digest"] = transaction_digest(row, [(p.account_id, p.amount) for p in spec.postings])
        two_sided = len(spec.postings) == 2
        entries = []
        for index, posting in enumerate(spec.postings):
            account = self.accounts[posting.account_id]
            debits, credits = release.get(account["id"], (0, 0))
            account["pending_debits"] -= debits
            account["pending_credits"] -= credits
            account["posted"] += posting.amount
            account["version"] += 1
            account["last_hash"] = entry_hash(account["last_hash"], row["digest"], account["id"], posting.amount,
                                              account["posted"], account["version"])
            account["updated_at"] = self.now
            self._dirty.add(account["id"])
            entries.append({
                "transaction_id": row["id"], "account_id": account["id"], "asset": account["asset"],
                "amount": posting.amount, "direction": "CREDIT" if posting.amount > 0 else "DEBIT",
                "balance_after": account["posted"], "account_version": account["version"],
                "counterparty_id": spec.postings[1 - index].account_id if two_sided else None,
                "type": spec.type, "posted_at": self.now, "hash": account["last_hash"],
            })
        self._transactions.append(row)
        self._entries.extend(entries)
        if spec.reverses_id:
            self._reversed.add(spec.reverses_id)
        self._announce_transaction(row, entries)
        for entry in entries:
            self._announce_balance(self.accounts[entry["account_id"]], transaction_id=row["id"], hold_id=hold_id)
        return transaction_view(row, entries)

    # --- holds ----------------------------------------------------------------------------
    def create_hold(self, client_id: str, account_id: str, destination_id: str, amount: int, expires_at: datetime,
                    metadata: Mapping[str, str], chain_id: str | None) -> dict[str, Any]:
        if type(amount) is not int or amount <= 0:
            raise errors.invalid("AMOUNT_NOT_POSITIVE", "A hold reserves a positive amount.")
        if account_id == destination_id:
            raise errors.invalid("ACCOUNT_REPEATED", "A hold moves money between two different accounts.")
        if as_utc(expires_at) <= self.now:
            raise errors.invalid("HOLD_DEADLINE_PASSED", "The hold's deadline must be in the future.")
        source, target = self.account(account_id), self.account(destination_id)
        if source["asset"] != target["asset"]:
            raise errors.asset_mismatch(destination_id, source["asset"])
        for account in (source, target):
            if account["status"] != OPEN:
                raise errors.account_closed(account["id"])
        if source["freeze"] in ("DEBITS", "BOTH"):
            raise errors.account_frozen(account_id, "DEBIT")
        if target["freeze"] in ("CREDITS", "BOTH"):
            raise errors.account_frozen(destination_id, "CREDIT")
        floor = floor_of(source)
        if floor is not None and source["posted"] - source["pending_debits"] - amount < floor:
            raise errors.insufficient_funds(account_id)
        if target["max_balance"] is not None and target["posted"] + target["pending_credits"] + amount > target["max_balance"]:
            raise errors.max_balance_exceeded(destination_id)
        for side, pending in ((account_id, source["pending_debits"]), (destination_id, target["pending_credits"])):
            if pending + amount > MAX_AMOUNT:  # a 422 here, not a database overflow
                raise errors.amount_out_of_range(side)
        source["pending_debits"] += amount
        target["pending_credits"] += amount
        for account in (source, target):
            account["updated_at"] = self.now
            self._dirty.add(account["id"])
        row = {"id": new_id("hld"), "client_id": client_id, "account_id": account_id, "destination_id": destination_id,
               "asset": source["asset"], "amount": amount, "posted_amount": 0, "status": PENDING, "chain_id": chain_id,
               "transaction_id": None, "metadata": dict(metadata), "expires_at": as_utc(expires_at),
               "created_at": self.now, "resolved_at": None}
        self._new_holds.append(row)
        self.events.hold_created(self._hold_data(row), subject=f"hold/{row['id']}", partition_key=account_id)
        self._announce_balance(source, hold_id=row["id"])
        return row

    def post_hold(self, hold: dict[str, Any], client_id: str, amount: int | None) -> Transaction:
        self._check_pending(hold)
        if as_utc(hold["expires_at"]) <= self.now:
            raise errors.hold_expired(hold["id"])
        amount = hold["amount"] if amount is None else amount
        if type(amount) is not int or amount <= 0:
            raise errors.invalid("AMOUNT_NOT_POSITIVE", "The amount to post must be positive.")
        if amount > hold["amount"]:
            raise errors.post_exceeds_hold(hold["id"])
        spec = TransactionSpec(client_id, (Posting(hold["account_id"], -amount), Posting(hold["destination_id"], amount)),
                               type="HOLD_POST", metadata=hold["metadata"] or {})
        release = {hold["account_id"]: (hold["amount"], 0), hold["destination_id"]: (0, hold["amount"])}
        transaction = self.apply_transaction(spec, hold_id=hold["id"], release=release)
        hold.update(status=POSTED, posted_amount=amount, transaction_id=transaction.id, resolved_at=self.now)
        self._changed_holds[hold["id"]] = hold
        self.events.hold_posted(self._hold_data(hold), subject=f"hold/{hold['id']}", partition_key=hold["account_id"])
        return transaction

    def release_hold(self, hold: dict[str, Any], status: str) -> None:
        """Void (on request) or expire (by the scheduler): the reservation goes, no money moves."""
        self._check_pending(hold)
        source, target = self.account(hold["account_id"]), self.account(hold["destination_id"])
        source["pending_debits"] -= hold["amount"]
        target["pending_credits"] -= hold["amount"]
        for account in (source, target):
            account["updated_at"] = self.now
            self._dirty.add(account["id"])
        hold.update(status=status, resolved_at=self.now)
        self._changed_holds[hold["id"]] = hold
        publish = self.events.hold_voided if status == VOIDED else self.events.hold_expired
        publish(self._hold_data(hold), subject=f"hold/{hold['id']}", partition_key=hold["account_id"])
        self._announce_balance(source, hold_id=hold["id"])

    @staticmethod
    def _check_pending(hold: Mapping[str, Any]) -> None:
        if hold["status"] != PENDING:
            raise errors.hold_resolved(hold["id"], hold["status"])

    # --- accounts -------------------------------------------------------------------------
    def set_freeze(self, account_id: str, mode: str) -> dict[str, Any]:
        account = self.account(account_id)
        if account["status"] != OPEN:
            raise errors.account_closed(account_id)
        account.update(freeze=mode, updated_at=self.now)
        self._dirty.add(account_id)
        return account

    def close(self, account_id: str) -> dict[str, Any]:
        account = self.account(account_id)
        if account["status"] == CLOSED:
            raise errors.account_closed(account_id)
        if account["posted"] or account["pending_debits"] or account["pending_credits"]:
            raise errors.close_nonzero(account_id)
        account.update(status=CLOSED, updated_at=self.now)
        self._dirty.add(account_id)
        return account

    # --- requests: the work of one unit for the items not seen before (LedgerUnits.once) ----
    async def open_account(self, new: NewAccount, allow_negative: bool) -> dict[int, Any]:
        if await self.orm.find_account(new.owner_type, new.owner_id, new.type, new.asset, new.rail):
            raise ItemFailed(0, errors.account_exists(
                f"{new.owner_type} {new.owner_id} already has a {new.type} account in {new.asset}."))
        row = {"id": new_id("acc"), "owner_type": new.owner_type, "owner_id": new.owner_id, "type": new.type,
               "rail": new.rail, "asset": new.asset, "status": "OPEN", "freeze": "NONE",
               "allow_negative": allow_negative, "credit_limit": new.credit_limit, "max_balance": new.max_balance,
               "posted": 0, "pending_debits": 0, "pending_credits": 0, "version": 0, "label": new.label,
               "created_at": self.now, "updated_at": self.now}
        row["last_hash"] = genesis(row["id"])
        await self.orm.insert_account(row)
        return {0: {"account_id": row["id"]}}

    async def change_account(self, account_id: str, change: Callable[[LedgerService], Any]) -> dict[int, Any]:
        await self.lock({account_id})
        try:
            change(self)
        except ProblemError as problem:
            raise ItemFailed(0, problem) from None
        return {0: {"account_id": account_id}}

    async def post_batch(self, specs: Sequence[TransactionSpec], fresh: list[int], *, linked: bool,
                         built: dict[int, Transaction], write_ahead: int) -> dict[int, Any]:
        """Apply the fresh transactions of a batch; `built` gets each applied one. Unlinked, a refused
        one is its ProblemError; every `write_ahead` transactions the journal so far is sent ahead."""
        resolved = {i: await self.resolve(specs[i]) if specs[i].reverses_id else specs[i] for i in fresh}
        await self.lock({p.account_id for spec in resolved.values() if not isinstance(spec, ProblemError)
                         for p in spec.postings})
        results: dict[int, Any] = {}
        for count, (index, spec) in enumerate(resolved.items(), 1):
            try:
                if isinstance(spec, ProblemError):
                    raise spec
                built[index] = self.apply_transaction(spec)
                results[index] = {"transaction_id": built[index].id}
            except ProblemError as problem:
                if linked:
                    raise ItemFailed(index, problem) from None
                results[index] = problem
            if count % write_ahead == 0 and count < len(resolved):
                await self.write_ahead()  # the database inserts these while the next are applied
        return results

    async def resolve(self, spec: TransactionSpec) -> TransactionSpec | ProblemError:
        """A reversal's postings are its original's, negated (entries are immutable, so no lock is needed)."""
        if not spec.reverses_id:
            return spec
        if spec.postings:
            return errors.invalid("REVERSAL_WITH_POSTINGS", "A reversal takes its postings from the original.")
        originals = await self.repo.transactions([spec.reverses_id])
        if not originals:
            return errors.transaction_not_found(spec.reverses_id)
        if await self.repo.reversal_of(spec.reverses_id):
            return errors.already_reversed(spec.reverses_id)
        entries = await self.repo.entries_of([spec.reverses_id])
        postings = tuple(Posting(e["account_id"], -e["amount"]) for e in entries)
        metadata = dict(spec.metadata) or {"reverses": spec.reverses_id}
        return TransactionSpec(spec.client_id, postings, spec.type if spec.type != "TRANSFER" else "REVERSAL",
                               metadata, spec.external_reference, spec.reverses_id)

    async def create_holds(self, specs: Sequence[HoldSpec], fresh: list[int], *, linked: bool,
                           chain_id: str | None) -> dict[int, Any]:
        await self.lock({a for i in fresh for a in (specs[i].account_id, specs[i].destination_id)})
        results: dict[int, Any] = {}
        for index in fresh:
            spec = specs[index]
            try:
                row = self.create_hold(spec.client_id, spec.account_id, spec.destination_id, spec.amount,
                                       spec.expires_at, spec.metadata, chain_id)
                results[index] = {"hold_id": row["id"]}
            except ProblemError as problem:
                if linked:
                    raise ItemFailed(index, problem) from None
                results[index] = problem
        return results

    async def resolve_holds(self, client_id: str, kind: str, *, ids: Sequence[str], chain_id: str | None,
                            amounts: dict[str, int] | None) -> dict[int, Any]:
        """Post (`kind` "post_hold") or void the holds of `ids` or of a chain, all or none."""
        rows = await self.orm.lock_holds(ids=ids, chain_id=chain_id)
        if not rows or (ids and len(rows) != len(set(ids))):
            missing = chain_id or next(i for i in ids if i not in {r["id"] for r in rows})
            raise ItemFailed(0, errors.hold_not_found(missing))
        await self.lock({a for r in rows for a in (r["account_id"], r["destination_id"])})
        try:
            for row in rows:
                if kind == "post_hold":
                    suffix = "" if len(rows) == 1 and not chain_id else f":{row['id']}"
                    self.post_hold(row, client_id + suffix, (amounts or {}).get(row["id"]))
                else:
                    self.release_hold(row, VOIDED)
        except ProblemError as problem:
            raise ItemFailed(0, problem) from None
        return {0: {"hold_ids": [r["id"] for r in rows]}}

    async def expire_due(self, limit: int) -> int:
        """Expire up to `limit` pending holds past their deadline; returns how many."""
        rows = await self.orm.due_holds(self.now, limit)
        if not rows:
            return 0
        await self.lock({a for r in rows for a in (r["account_id"], r["destination_id"])})
        for row in rows:
            self.release_hold(row, EXPIRED)
        return len(rows)

    # --- writing --------------------------------------------------------------------------
    async def write_ahead(self) -> None:
        """PostgreSQL, own outbox: send the journal rows and events made so far while the caller
        goes on applying transactions, so the database inserts them while Python works on the
        next ones. Same transaction, same order (entries and events get their sequence numbers in
        the order they were made); balances, idempotency records and balance events are written
        by `flush`. One statement in flight at a time; `flush` or `settle` waits for it."""
        if self.outbox is None or self.repo.dialect != "postgresql" or not self._transactions:
            return
        if self._expected is not None:
            return  # a predicted unit writes nothing before its rows are locked and compared
        await self._wait_in_flight()
        transactions, entries, events = self._transactions, self._entries, self.outbox.take()
        self._transactions, self._entries = [], []
        self._in_flight = asyncio.ensure_future(self.repo.write(transactions=transactions, entries=entries,
                                                                accounts=[], requests=[], events=events))
        await asyncio.sleep(0)  # let it reach the database before the next transactions are applied

    async def _wait_in_flight(self) -> None:
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            await in_flight

    async def settle(self) -> None:
        """The unit of work is failing: wait for a statement still in flight before it rolls back."""
        try:
            await self._wait_in_flight()
        except Exception:  # noqa: BLE001, S110 — the failure already on its way out is the one reported
            pass

    def abandon(self) -> None:
        """The unit failed, wherever (computing, writing, committing): no other unit may compute on
        what it leaves in memory. The facade's `_unit` calls it on any failure."""
        self._release_turn()
        if self.states is not None:
            self.states.forget(self.accounts)

    async def flush(self, before_commit: Callable[[], None] | None = None) -> None:
        """Write everything the unit made. `before_commit` runs just before the commit is asked for
        (with the write for a predicted unit, whose one statement also commits; after it otherwise)."""
        await self._wait_in_flight()
        self._announce_balances()
        self._pass_turn()
        write = {"transactions": self._transactions, "entries": self._entries, "requests": self.requests,
                 "accounts": [self.accounts[i] for i in sorted(self._dirty)],
                 "events": self.outbox.take() if self.outbox is not None else []}
        self._transactions, self._entries, self.requests = [], [], []
        self._dirty = set()
        if self._expected is not None:
            expected, self._expected = self._expected, None
            if before_commit is not None:
                before_commit()
            await self._write_predicted(expected, write)
            return
        await self.repo.insert_holds(self._new_holds)
        await self.repo.save_holds(list(self._changed_holds.values()))
        self._new_holds, self._changed_holds = [], {}
        await self.repo.write(**write)
        if before_commit is not None:
            before_commit()

    async def _write_predicted(self, expected: dict[str, dict[str, Any]], write: dict[str, Any]) -> None:
        """Lock the predicted accounts, compare, write and commit in one statement; any difference
        and nothing is written: the unit runs again on the locked rows."""
        assert not (self._new_holds or self._changed_holds), "holds are not predicted"
        assert isinstance(self.repo, DriverLedgerRepository), "units are predicted on the driver's connection only"
        if not await self.repo.write_checked(list(expected.values()), **write):
            self.states.mispredicted += 1  # type: ignore[union-attr]
            LEDGER_PREDICTIONS.labels("mispredicted").inc()
            raise Mispredicted
        self.states.predicted += 1  # type: ignore[union-attr]
        LEDGER_PREDICTIONS.labels("confirmed").inc()

    # --- events ---------------------------------------------------------------------------
    def _publish(self, type_: str, data: dict[str, Any], *, subject: str, partition_key: str) -> None:
        """The hot events are built as JSON-ready dicts: straight into this unit's own outbox batch
        (checked against the contract per shape), through the generated model otherwise."""
        event_type = EVENT_TYPES[type_]
        if self.outbox is not None:
            self.outbox.emit_json(event_type, data, subject=subject, partition_key=partition_key)
        else:
            publish = self.events.transaction_posted if type_ == TRANSACTION_POSTED else self.events.balance_changed
            publish(event_type.data_model.model_validate(data), subject=subject, partition_key=partition_key)

    def _announce_transaction(self, row: Mapping[str, Any], entries: list[dict[str, Any]]) -> None:
        data: dict[str, Any] = {"transaction_id": row["id"], "client_id": row["client_id"], "type": row["type"]}
        for key, name in (("external_reference", "external_reference"), ("reverses_id", "reverses_transaction_id"),
                          ("hold_id", "hold_id")):
            if row[key]:
                data[name] = row[key]
        data["postings"] = [{"account_id": e["account_id"], "direction": e["direction"],
                             "amount": {"amount": format_amount(abs(e["amount"]), self.scales[e["asset"]]),
                                        "asset": e["asset"]},
                             "balance_after": {"amount": format_amount(e["balance_after"], self.scales[e["asset"]]),
                                               "asset": e["asset"]},
                             "account_version": e["account_version"]} for e in entries]
        if row["metadata"]:
            data["metadata"] = dict(row["metadata"])
        data["posted_at"] = instant(row["posted_at"])
        first_debit = next(e["account_id"] for e in entries if e["amount"] < 0)
        self._publish(TRANSACTION_POSTED, data, subject=f"transaction/{row['id']}", partition_key=first_debit)

    def _announce_balance(self, account: Mapping[str, Any], *, transaction_id: str | None = None,
                          hold_id: str | None = None) -> None:
        """One balance_changed per account per unit of work, with its final balance (a batch that
        touches an account many times announces where it ended; versions still only increase)."""
        self._balance_news.pop(account["id"], None)
        self._balance_news[account["id"]] = (transaction_id, hold_id)

    def _announce_balances(self) -> None:
        for account_id, (transaction_id, hold_id) in self._balance_news.items():
            self._emit_balance(self.accounts[account_id], transaction_id=transaction_id, hold_id=hold_id)
        self._balance_news.clear()

    def _emit_balance(self, account: Mapping[str, Any], *, transaction_id: str | None, hold_id: str | None) -> None:
        asset = account["asset"]
        scale = self.scales[asset]
        data: dict[str, Any] = {
            "account_id": account["id"],
            "posted": {"amount": format_amount(account["posted"], scale), "asset": asset},
            "pending": {"amount": format_amount(account["pending_debits"], scale), "asset": asset},
            "available": {"amount": format_amount(account["posted"] - account["pending_debits"], scale),
                          "asset": asset},
            "version": account["version"],
        }
        if transaction_id:
            data["transaction_id"] = transaction_id
        if hold_id:
            data["hold_id"] = hold_id
        data["changed_at"] = instant(self.now)
        self._publish(BALANCE_CHANGED, data, subject=f"account/{account['id']}", partition_key=account["id"])

    def _hold_data(self, row: Mapping[str, Any]) -> events.LedgerHoldData:
        scale = self.scale(row["asset"])
        data: dict[str, Any] = {
            "hold_id": row["id"], "client_id": row["client_id"], "account_id": row["account_id"],
            "destination_account_id": row["destination_id"],
            "amount": events.Money(amount=format_amount(row["amount"], scale), asset=row["asset"]),
            "posted_amount": events.Money(amount=format_amount(row["posted_amount"], scale), asset=row["asset"]),
            "status": events.LedgerHoldStatus(row["status"]), "expires_at": as_utc(row["expires_at"]),
            "created_at": as_utc(row["created_at"]),
        }
        for key in ("chain_id", "transaction_id"):
            if row[key]:
                data[key] = row[key]
        if row["resolved_at"]:
            data["resolved_at"] = as_utc(row["resolved_at"])
        return events.LedgerHoldData(**data)


__all__ = ["ItemFailed", "LedgerService", "ProblemError", "check_new_account", "entry_view", "floor_of", "hold_view", "transaction_view"]
