"""The ledger's transaction path on PostgreSQL, on the driver's (asyncpg) connection.

A unit of work that posts transactions is BEGIN, one lock statement, one write statement and
COMMIT; a unit that computed on predicted rows is one statement outside a transaction (the
checked write: lock, compare, write, and the commit that ends the statement). Through an ORM
session these cost the client about five times what they cost on the driver's connection
(ADR 0005), which for group-committed single transfers is a large share of a transfer's CPU.
This repository runs the statements of that path directly: the same SQL as `LedgerRepository`
(compiled from it once), the same rows back, and the driver's errors translated to the
SQLAlchemy exceptions the facade's retry loop already understands. Holds, accounts and
everything else keep the session path.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, IntegrityError

from .repository import (
    PG_ACCOUNT_READS,
    PG_WRITE,
    PG_WRITE_CHECKED,
    PG_WRITE_FEW,
    PG_WRITE_PACKED,
    pg_account_read,
    pg_write,
)

_DIALECT = postgresql.asyncpg.dialect()  # type: ignore[attr-defined]


def _compiled(statement: Any) -> tuple[str, tuple[str, ...]]:
    """A SQLAlchemy statement as the driver's SQL ($1, $2, …) and the names of its parameters in order."""
    compiled = statement.compile(dialect=_DIALECT)
    return str(compiled), tuple(compiled.positiontup)


_ACCOUNT_READS = {key: _compiled(statement) for key, statement in PG_ACCOUNT_READS.items()}
_WRITES = {statement: _compiled(statement)
           for statement in (PG_WRITE, PG_WRITE_PACKED, *PG_WRITE_FEW.values(), *PG_WRITE_CHECKED.values())}
_REQUESTS = "SELECT client_id, kind, request_hash, succeeded, result, created_at FROM ledger_requests WHERE client_id = ANY($1::text[])"
_TRANSACTIONS = "SELECT * FROM ledger_transactions WHERE id = ANY($1::text[])"
_ENTRIES = "SELECT * FROM ledger_entries WHERE transaction_id = ANY($1::text[]) ORDER BY sequence"
_REVERSAL = "SELECT id FROM ledger_transactions WHERE reverses_id = $1"
_AMOUNTS = frozenset({"posted", "pending_debits", "pending_credits", "credit_limit", "max_balance", "amount",
                      "balance_after"})


def _rows(records: list[asyncpg.Record]) -> list[dict[str, Any]]:
    """As `LedgerRepository` gives them: dicts, amounts as int (the driver reads NUMERIC as Decimal)."""
    if not records:
        return []
    keys = tuple(records[0].keys())
    amounts = [i for i, key in enumerate(keys) if key in _AMOUNTS]
    rows = []
    for record in records:
        values = list(record.values())
        for i in amounts:
            if values[i] is not None:
                values[i] = int(values[i])
        rows.append(dict(zip(keys, values, strict=True)))
    return rows


@asynccontextmanager
async def translated_errors() -> AsyncIterator[None]:
    """Driver errors as the session would raise them: a unique violation (a client id that
    committed meanwhile) as IntegrityError, anything else from the server as DBAPIError (whose
    SQLSTATE decides a retry)."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError("ledger unit of work", None, exc) from exc
    except asyncpg.PostgresError as exc:
        raise DBAPIError("ledger unit of work", None, exc) from exc


class DriverLedgerRepository:
    """The queries of the transaction path (`Ledger.post_transactions`) on an asyncpg connection
    (a `repository.LedgerStore`)."""

    dialect = "postgresql"

    def __init__(self, connection: asyncpg.Connection, lock_gate: asyncio.Lock | None = None) -> None:
        """`lock_gate`: shared by the units of work of a process, so that their lock statements reach
        the server one at a time (see `lock_accounts`)."""
        self.connection = connection
        self.lock_rows = True
        self.lock_gate = lock_gate
        self._transaction: Any = None  # begun by the first statement that needs one (see `unit`)

    async def _begin(self) -> None:
        if self._transaction is None:
            self._transaction = self.connection.transaction()
            await self._transaction.start()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[None]:
        """The unit of work's transaction, begun only when a statement needs it: the lock statement or
        a write. Reads of immutable rows and the checked write need none."""
        try:
            yield
        except BaseException:
            if self._transaction is not None:
                await self._transaction.rollback()
            raise
        if self._transaction is not None:
            await self._transaction.commit()

    async def requests(self, client_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not client_ids:
            return {}
        rows = _rows(await self.connection.fetch(_REQUESTS, list(client_ids)))
        return {r["client_id"]: r for r in rows}

    async def lock_accounts(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Lock the accounts in id order (the one global order every writer uses), then read them.

        Behind the gate: while one unit's lock statement waits for rows another unit holds, the
        process's next units wait here rather than in the server, where every row the holder
        releases would wake all of them to re-check it. The next unit's statement is sent as soon
        as the previous one has its rows, so it is already queued when they are released
        (concurrent batches of 1,000: +12% transfers/s and -15% server CPU per transfer)."""
        ordered = sorted(set(ids))
        if not ordered:
            return {}
        await self._begin()
        sql, _ = _ACCOUNT_READS[pg_account_read(len(ordered), self.lock_rows)]
        if self.lock_gate is None:
            return {r["id"]: r for r in _rows(await self.connection.fetch(sql, ordered))}
        async with self.lock_gate:
            records = await self.connection.fetch(sql, ordered)
        return {r["id"]: r for r in _rows(records)}

    async def transactions(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return _rows(await self.connection.fetch(_TRANSACTIONS, list(ids))) if ids else []

    async def entries_of(self, transaction_ids: Sequence[str]) -> list[dict[str, Any]]:
        if not transaction_ids:
            return []
        return _rows(await self.connection.fetch(_ENTRIES, list(transaction_ids)))

    async def reversal_of(self, transaction_id: str) -> str | None:
        return await self.connection.fetchval(_REVERSAL, transaction_id)  # type: ignore[no-any-return]

    async def insert_holds(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            raise NotImplementedError("holds are written through the session path")

    async def save_holds(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            raise NotImplementedError("holds are written through the session path")

    async def write(self, *, transactions: list[dict[str, Any]], entries: list[dict[str, Any]],
                    accounts: list[dict[str, Any]], requests: list[dict[str, Any]],
                    events: list[dict[str, Any]]) -> None:
        """The same single statement as `LedgerRepository.write` on PostgreSQL."""
        if not (transactions or entries or accounts or requests or events):
            return
        statement, params = pg_write(transactions, entries, accounts, requests, events)
        sql, names = _WRITES[statement]
        await self._begin()
        await self.connection.execute(sql, *(params[name] for name in names))

    async def write_checked(self, expected: Sequence[dict[str, Any]], *, transactions: list[dict[str, Any]],
                            entries: list[dict[str, Any]], accounts: list[dict[str, Any]],
                            requests: list[dict[str, Any]], events: list[dict[str, Any]]) -> bool:
        """The whole unit of a predicted computation in one statement outside a transaction: lock the
        accounts of `expected` in id order, compare them with it, write only if every row is equal,
        commit. False (nothing written, locks gone) when a row differs."""
        assert self._transaction is None, "the checked write is a unit of work of its own"
        statement, params = pg_write(transactions, entries, accounts, requests, events, expected)
        sql, names = _WRITES[statement]
        try:
            return bool(await self.connection.fetchval(sql, *(params[name] for name in names)))
        except BaseException:
            # It may have ended between taking the lock-phase gate and letting it go (cancelled,
            # timed out): only the end of the session frees the gate for sure. The facade throws a
            # closed connection away (api.py: `_checked_driver`).
            self.connection.terminate()
            raise
