"""All queries of the ledger. Writes are set-based: one statement per unit of work on PostgreSQL,
one per table on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Protocol

import orjson
from pydantic_core import to_json
from sqlalchemy import (
    String,
    and_,
    any_,
    bindparam,
    case,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel.ext.asyncio.session import AsyncSession

from core.assets.api import asset_scales
from core.platform.security import Principal
from core.platform.tables import OutboxEvent

from .tables import LedgerAccount, LedgerEntry, LedgerHold, LedgerRequest, LedgerTransaction

A = LedgerAccount.__table__
E = LedgerEntry.__table__
T = LedgerTransaction.__table__
H = LedgerHold.__table__
R = LedgerRequest.__table__
O = OutboxEvent.__table__  # type: ignore[attr-defined]
# Idempotency records by client id, built once (a statement built per call leaves reference cycles
# that only the collector frees: SQLAlchemy's expressions memoize their comparators).
_REQUESTS = select(R).where(R.c.client_id.in_(bindparam("client_ids", expanding=True)))
# SQLite's account lock (the write lock first, so the read cannot go stale) and read, built once too.
_SQLITE_LOCK = update(A).where(A.c.id.in_(bindparam("ids", expanding=True))).values(version=A.c.version)
_SQLITE_LOCKED = select(A).where(A.c.id.in_(bindparam("ids", expanding=True))).order_by(A.c.id)

ACCOUNT_STATE = ("posted", "pending_debits", "pending_credits", "version", "last_hash", "status", "freeze",
                 "updated_at")


_T_COLS = (("id", "text"), ("client_id", "text"), ("type", "text"), ("external_reference", "text"),
           ("reverses_id", "text"), ("hold_id", "text"), ("batch_id", "text"), ("metadata", "json"),
           ("digest", "text"), ("posted_at", "now"))
_E_COLS = (("transaction_id", "text"), ("account_id", "text"), ("asset", "text"), ("amount", "numeric"),
           ("direction", "text"), ("balance_after", "numeric"), ("account_version", "integer"),
           ("counterparty_id", "text"), ("type", "text"), ("posted_at", "now"), ("hash", "text"))
_A_COLS = (("id", "text"), ("posted", "numeric"), ("pending_debits", "numeric"), ("pending_credits", "numeric"),
           ("version", "integer"), ("last_hash", "text"), ("status", "text"), ("freeze", "text"),
           ("updated_at", "now"))
_R_COLS = (("client_id", "text"), ("kind", "text"), ("request_hash", "text"), ("succeeded", "boolean"),
           ("result", "json"), ("created_at", "now"))
_O_COLS = (("event_id", "text"), ("event_type", "text"), ("partition_key", "text"), ("subject", "text"),
           ("data", "json"), ("traceparent", "text"), ("created_at", "now"))
# A predicted row, as compared by the checked write: the columns a write sets (ACCOUNT_STATE) but
# `updated_at`, which no computation reads.
_X_COLS = tuple((name, kind) for name, kind in _A_COLS if kind != "now")

# A packed column is one text parameter: its values joined by the unit separator, NULL written as
# the record separator (`string_to_array(text, sep, null)` on the server). asyncpg encodes a text[]
# parameter element by element with two `collections.abc` checks each, which cost a batch more
# client CPU than anything else in the write; one string per column costs a `join`. Values that
# hold either separator (only client-supplied text can) make the unit fall back to arrays.
_SEP, _NULL = "\x1f", "\x1e"
_SQL_TYPE = {"json": "text", "numeric": "numeric", "integer": "integer", "boolean": "boolean", "text": "text"}


def _names(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'"{name}"' for name, _ in columns)  # quoted: "freeze" is a keyword


def _array(prefix: str, name: str, kind: str, packed: bool) -> str:
    """Amounts travel as decimal text (asyncpg's binary numeric costs the client ~5x as much), JSON as text."""
    if packed:
        return f"CAST(string_to_array(CAST(:{prefix}_{name} AS text), chr(31), chr(30)) AS {_SQL_TYPE[kind]}[])"
    if kind == "json":
        return f"CAST(:{prefix}_{name} AS text[])"
    if kind == "numeric":
        return f"CAST(CAST(:{prefix}_{name} AS text[]) AS numeric[])"
    return f"CAST(:{prefix}_{name} AS {kind}[])"


def _unnest(prefix: str, columns: Sequence[tuple[str, str]], packed: bool) -> str:
    """The rows of one array per column, and their position `ord`. Columns of kind "now" hold
    the unit of work's instant: one parameter, not an array."""
    columns = [(name, kind) for name, kind in columns if kind != "now"]
    arrays = ", ".join(_array(prefix, name, kind, packed) for name, kind in columns)
    return f"unnest({arrays}) WITH ORDINALITY AS u({_names(columns)}, ord)"


def _value(name: str, kind: str) -> str:
    if kind == "now":
        return "CAST(:now AS timestamptz)"
    return f'u."{name}"::json' if kind == "json" else f'u."{name}"'


def _select(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(_value(name, kind) for name, kind in columns)


# The checked writes' lock phase, one at a time (a session-level advisory lock, taken by a checked
# write before it locks any row and let go in the same statement once it holds them all). A unit
# predicts on the rows the unit before it leaves, so its write must lock them after that unit's
# write has: were the earlier write still waiting for a row a third unit holds, the later one could
# otherwise take rows the earlier one has yet to reach, see them unchanged, and miss (with 8 gRPC
# clients sending batches of 100, half the checked writes missed so). Every writer that waits
# here holds no row, so the gate cannot close a cycle of waits (ADR 0005, seventh pass).
CHECKED_LOCK_GATE = 0x4441_5243_4C47  # any constant no other advisory lock of the platform uses


def _write_statement(packed: bool, checked: str | None = None, few: bool = False) -> Any:
    """PostgreSQL: the whole write of a unit of work in one statement, one round trip, one array per
    column. ORDER BY ord keeps entries and events in the order they were made, and so their
    sequence numbers (the relay's order, hence the per-account order of events).

    `checked` ("few" or "many" accounts): the write of a unit that computed on predicted rows
    (core/ledger/prediction.py). The statement first locks the unit's accounts in id order (as
    `lock_accounts` does) and compares them with the rows the unit computed on (prefix "x"); it
    writes only when every one is equal, and returns whether it did. Run outside a transaction, it
    is the whole unit of work in one round trip: lock, compare, write, commit.

    `few` (a unit that changes fewer than LOCK_JOIN_FROM accounts; every checked write over "few"):
    the balances are updated through primary key probes. Joined with the unnested rows alone, a
    small accounts table is read whole for every unit of work (a hash join over a sequential scan,
    which the planner prices below ten index probes and which reads every dead version too)."""
    ok = "(SELECT ok FROM ok)"  # every row written only when all locked rows are the predicted ones
    where, and_ok = (f" WHERE {ok}", f" AND {ok}") if checked else ("", "")
    probes = f" AND ledger_accounts.id = ANY({_array('a', 'id', 'text', packed)})" if few or checked == "few" else ""

    def rows(prefix: str, columns: Sequence[tuple[str, str]]) -> str:
        return f"SELECT {_select(columns)} FROM {_unnest(prefix, columns, packed)}{where} ORDER BY ord"

    writes = f"""t AS (
  INSERT INTO ledger_transactions ({_names(_T_COLS)}) {rows("t", _T_COLS)}
), e AS (
  INSERT INTO ledger_entries ({_names(_E_COLS)}) {rows("e", _E_COLS)}
), a AS (
  UPDATE ledger_accounts SET {", ".join(f'"{name}" = {_value(name, kind)}' for name, kind in _A_COLS[1:])}
  FROM {_unnest("a", _A_COLS, packed)} WHERE ledger_accounts.id = u.id{probes}{and_ok}
), r AS (
  INSERT INTO ledger_requests ({_names(_R_COLS)}) {rows("r", _R_COLS)}
)"""
    events = f"INSERT INTO outbox_events ({_names(_O_COLS)}, attempts) SELECT {_select(_O_COLS)}, 0 FROM {_unnest('o', _O_COLS, packed)}{where} ORDER BY ord"
    if not checked:
        return text(f"WITH {writes}\n{events}")
    # Large sets are locked through a join, small ones by index probes (see LOCK_JOIN_FROM); either
    # way only once the statement holds the gate (CHECKED_LOCK_GATE), let go as soon as it has its rows.
    wanted = ("JOIN x ON x.id = ledger_accounts.id WHERE" if checked == "many"
              else "WHERE ledger_accounts.id = ANY(ARRAY(SELECT id FROM x)) AND")
    same = " AND ".join(f'l."{name}" = x."{name}"' for name, _ in _X_COLS[1:])
    return text(f"""
WITH g AS (
  SELECT true AS gate FROM pg_advisory_lock({CHECKED_LOCK_GATE})
), x AS (
  SELECT * FROM {_unnest("x", _X_COLS, packed)}
), l AS (
  SELECT ledger_accounts.* FROM ledger_accounts {wanted} (SELECT gate FROM g)
  ORDER BY ledger_accounts.id FOR UPDATE OF ledger_accounts
), ok AS (
  SELECT count(*) = (SELECT count(*) FROM x) AS ok FROM l JOIN x ON l.id = x.id AND {same}
), {writes}, o AS (
  {events}
)
SELECT ok, pg_advisory_unlock({CHECKED_LOCK_GATE}) FROM ok
""")


PG_WRITE_PACKED = _write_statement(packed=True)
PG_WRITE = _write_statement(packed=False)
PG_WRITE_FEW = {packed: _write_statement(packed, few=True) for packed in (True, False)}  # by packed
PG_WRITE_CHECKED = {(packed, many): _write_statement(packed, "many" if many else "few")
                    for packed in (True, False) for many in (True, False)}


def _instant(*columns: tuple[Sequence[dict[str, Any]], str]) -> datetime | None:
    """The unit of work's instant: every transaction, entry, balance, idempotency record and event
    of a unit carries the same one, so it travels once. Anything else is a bug, refused loudly."""
    instants: set[datetime] = set()
    for rows, name in columns:
        instants.update(map(itemgetter(name), rows))
    if len(instants) > 1:
        raise ValueError(f"a unit of work writes at one instant, not at {sorted(instants)}")
    return next(iter(instants), None)


def _amount_text(value: int | None) -> str | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError(f"ledger amounts are int minor units, got {type(value).__name__}")
    return str(value)


# What orjson would write in its own way (datetimes, dataclasses, subclasses of str and int) goes
# to `_refuse`, and so to pydantic-core, as do integers beyond 64 bits and non-string keys.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def json_text(value: Any) -> str:
    """A document as compact JSON text: orjson for the JSON-ready dicts the ledger writes (events,
    idempotency results, metadata; a quarter of pydantic-core's time for an event envelope),
    pydantic-core for anything else. Both write the same document."""
    try:
        return orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return to_json(value).decode()


def _column(name: str, kind: str, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """JSON as compact text, amounts as decimal text."""
    values = map(itemgetter(name), rows)
    if kind == "json":
        return [None if v is None else json_text(v) for v in values]
    if kind == "numeric":
        return list(map(_amount_text, values))
    return list(values)


def _pack(values: list[Any], kind: str) -> str | None:
    """One string for a column, or None when a value holds a separator (or one empty string,
    which `string_to_array` would read as no value at all). JSON text cannot hold either: JSON
    writes control characters escaped; nor can decimal text."""
    if not values:
        return ""
    if kind == "integer":
        if any(type(v) is not int for v in values):
            raise TypeError("integer columns take int values")
        return _SEP.join(map(str, values))
    if kind == "boolean":
        return _SEP.join(_NULL if v is None else ("t" if v else "f") for v in values)
    nulls = values.count(None)
    packed = _SEP.join([_NULL if v is None else v for v in values] if nulls else values)
    if kind == "text" and (packed.count(_SEP) != len(values) - 1 or packed.count(_NULL) != nulls or packed == ""):
        return None
    return packed


def _write_params(tables: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[dict[str, Any]]]]) -> tuple[Any, dict[str, Any]]:
    """The statement and its parameters: packed columns, or arrays when a value cannot be packed."""
    columns = {f"{prefix}_{name}": (kind, _column(name, kind, rows))
               for prefix, cols, rows in tables for name, kind in cols if kind != "now"}
    packed: dict[str, Any] = {}
    for key, (kind, values) in columns.items():
        packed[key] = _pack(values, kind)
        if packed[key] is None:
            return PG_WRITE, {key: values for key, (_, values) in columns.items()}
    return PG_WRITE_PACKED, packed


def pg_write(transactions: list[dict[str, Any]], entries: list[dict[str, Any]], accounts: list[dict[str, Any]],
             requests: list[dict[str, Any]], events: list[dict[str, Any]],
             expected: Sequence[dict[str, Any]] | None = None) -> tuple[Any, dict[str, Any]]:
    """The PostgreSQL write statement of a unit of work and its parameters; with `expected` (the
    predicted rows of every account the unit computed on), the checked write."""
    tables: tuple[Any, ...] = tuple(zip(("t", "e", "a", "r", "o"), (_T_COLS, _E_COLS, _A_COLS, _R_COLS, _O_COLS),
                                        (transactions, entries, accounts, requests, events), strict=True))
    if expected is not None:
        tables += (("x", _X_COLS, expected),)
    statement, params = _write_params(tables)
    if expected is not None:
        statement = PG_WRITE_CHECKED[statement is PG_WRITE_PACKED, len(expected) >= LOCK_JOIN_FROM]
    elif len(accounts) < LOCK_JOIN_FROM:
        statement = PG_WRITE_FEW[statement is PG_WRITE_PACKED]
    params["now"] = _instant((transactions, "posted_at"), (entries, "posted_at"), (accounts, "updated_at"),
                             (requests, "created_at"), (events, "created_at"))
    return statement, params


# One statement text whatever the count, so the prepared statement is reused; built once, so a
# unit of work does not pay for building and keying the query. A row another unit updated while
# this one waited for it is re-checked by the server (EvalPlanQual); under `id = ANY(array)` read
# through the primary key, each re-check sorts the whole array again, which is quadratic in the
# rows a unit locks (a batch of 1,000 transfers: ~30 µs of server CPU per transfer). Large sets
# are therefore joined with the unnested ids (a re-check costs one row); small ones keep the
# index probes, cheaper for a handful of ids (ADR 0005, "Fourth pass").
LOCK_JOIN_FROM = 64
_WANTED = func.unnest(bindparam("ids", type_=ARRAY(String))).table_valued("id").render_derived(name="wanted")
_PG_READ_FEW = select(A).where(A.c.id == any_(bindparam("ids", type_=ARRAY(String)))).order_by(A.c.id)
_PG_READ_MANY = select(A).join(_WANTED, A.c.id == _WANTED.c.id).order_by(A.c.id)
PG_ACCOUNT_READS = {(many, lock): (query.with_for_update(of=A) if lock else query)
                    for many, query in ((False, _PG_READ_FEW), (True, _PG_READ_MANY)) for lock in (False, True)}


def pg_account_read(count: int, lock: bool) -> tuple[bool, bool]:
    """The key in PG_ACCOUNT_READS of the statement that reads (with `lock`, locks) `count` accounts."""
    return count >= LOCK_JOIN_FROM, lock


def readable_by(principal: Principal, company_readable: Any | None) -> Any:
    """SQL: may `principal` read an account row of `A`? The platform operator reads all; a user reads
    its own PERSON accounts; a user or a company API key reads the COMPANY accounts `company_readable`
    (identity's rule) allows."""
    if principal.kind == "OPERATOR":
        return true()
    readable = []
    if principal.kind == "USER":
        readable.append(and_(A.c.owner_type == "PERSON", A.c.owner_id == principal.id))
    if principal.kind in ("USER", "API_KEY") and company_readable is not None:
        readable.append(and_(A.c.owner_type == "COMPANY", company_readable(principal, A.c.owner_id)))
    return or_(false(), *readable)


class LedgerStore(Protocol):
    """What a ledger unit of work needs of its repository, on either path: `LedgerRepository` (the
    session; every query of the ledger) and `driver.DriverLedgerRepository` (the transaction path on
    PostgreSQL, on the driver's connection). Accounts and holds change on the session path only."""

    lock_rows: bool

    @property
    def dialect(self) -> str: ...

    async def requests(self, client_ids: Sequence[str]) -> dict[str, dict[str, Any]]: ...

    async def lock_accounts(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]: ...

    async def transactions(self, ids: Sequence[str]) -> list[dict[str, Any]]: ...

    async def entries_of(self, transaction_ids: Sequence[str]) -> list[dict[str, Any]]: ...

    async def reversal_of(self, transaction_id: str) -> str | None: ...

    async def insert_holds(self, rows: list[dict[str, Any]]) -> None: ...

    async def save_holds(self, rows: list[dict[str, Any]]) -> None: ...

    async def write(self, *, transactions: list[dict[str, Any]], entries: list[dict[str, Any]],
                    accounts: list[dict[str, Any]], requests: list[dict[str, Any]],
                    events: list[dict[str, Any]]) -> None: ...


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.lock_rows = True  # False only under SERIALIZABLE isolation (see ADR 0005)

    async def isolate(self, level: str) -> None:
        """Run this unit of work at `level` (PostgreSQL): SERIALIZABLE, or REPEATABLE READ, READ ONLY."""
        await self.session.execute(text(f"SET TRANSACTION ISOLATION LEVEL {level}"))

    @property
    def dialect(self) -> str:
        return self.session.bind.dialect.name  # type: ignore[union-attr]

    async def _rows(self, query: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        result = await self.session.execute(query, params)
        keys = tuple(result.keys())
        return [dict(zip(keys, row, strict=True)) for row in result.all()]  # a third of dict(row mapping)

    # --- reference data -------------------------------------------------------------------
    async def scales(self) -> dict[str, int]:
        return await asset_scales(self.session)

    # --- idempotency records --------------------------------------------------------------
    async def requests(self, client_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not client_ids:
            return {}
        rows = await self._rows(_REQUESTS, {"client_ids": list(client_ids)})
        return {r["client_id"]: r for r in rows}

    async def insert_requests(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(R), rows)

    # --- accounts -------------------------------------------------------------------------
    async def lock_accounts(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Lock the accounts in id order (the one global order every writer uses), then read them."""
        ordered = sorted(set(ids))
        if not ordered:
            return {}
        if self.dialect == "postgresql":
            statement = PG_ACCOUNT_READS[pg_account_read(len(ordered), self.lock_rows)]
            return {r["id"]: r for r in await self._rows(statement, {"ids": ordered})}
        # SQLite: take the database write lock first so the read below cannot go stale.
        await self.session.execute(_SQLITE_LOCK, {"ids": ordered})
        return {r["id"]: r for r in await self._rows(_SQLITE_LOCKED, {"ids": ordered})}

    async def account(self, account_id: str) -> dict[str, Any] | None:
        rows = await self._rows(select(A).where(A.c.id == account_id))
        return rows[0] if rows else None

    async def readable_account(self, account_id: str, principal: Principal,
                               company_readable: Any | None) -> dict[str, Any] | None:
        """The account, if `principal` may read it, in one query: who may read what is the condition
        `LedgerAccess.can_read_owner` applies, as SQL."""
        rows = await self._rows(select(A).where(A.c.id == account_id, readable_by(principal, company_readable)))
        return rows[0] if rows else None

    async def accounts_of(self, owner_type: str, owner_id: str, *, after: str | None, limit: int,
                          asset: str | None = None) -> list[dict[str, Any]]:
        query = select(A).where(A.c.owner_type == owner_type, A.c.owner_id == owner_id).order_by(A.c.id).limit(limit)
        if after:
            query = query.where(A.c.id > after)
        if asset:
            query = query.where(A.c.asset == asset)
        return await self._rows(query)

    async def find_account(self, owner_type: str, owner_id: str, type_: str, asset: str, rail: str) -> dict[str, Any] | None:
        rows = await self._rows(select(A).where(A.c.owner_type == owner_type, A.c.owner_id == owner_id,
                                                A.c.type == type_, A.c.asset == asset, A.c.rail == rail))
        return rows[0] if rows else None

    async def insert_account(self, row: dict[str, Any]) -> None:
        await self.session.execute(insert(A), [row])

    async def save_accounts(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        values = {c: bindparam(f"v_{c}") for c in ACCOUNT_STATE}
        await self.session.execute(
            update(A).where(A.c.id == bindparam("v_id")).values(**values).execution_options(synchronize_session=False),
            [{f"v_{k}": r[k] for k in ("id", *ACCOUNT_STATE)} for r in rows],
        )

    # --- the write of a unit of work -------------------------------------------------------
    async def write(self, *, transactions: list[dict[str, Any]], entries: list[dict[str, Any]],
                    accounts: list[dict[str, Any]], requests: list[dict[str, Any]],
                    events: list[dict[str, Any]]) -> None:
        """Journal, balances, idempotency records and outbox events of one unit of work."""
        if not (transactions or entries or accounts or requests or events):
            return
        if self.dialect == "postgresql":
            statement, params = pg_write(transactions, entries, accounts, requests, events)
            await self.session.execute(statement, params)
            return
        await self.insert_journal(transactions, entries)
        await self.save_accounts(accounts)
        await self.insert_requests(requests)
        if events:
            await self.session.execute(insert(O), events)

    # --- journal --------------------------------------------------------------------------
    async def insert_journal(self, transactions: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
        if transactions:
            await self.session.execute(insert(T), transactions)
        if entries:
            await self.session.execute(insert(E), entries)

    async def transactions(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return await self._rows(select(T).where(T.c.id.in_(list(ids))))

    async def entries_of(self, transaction_ids: Sequence[str]) -> list[dict[str, Any]]:
        if not transaction_ids:
            return []
        return await self._rows(select(E).where(E.c.transaction_id.in_(list(transaction_ids))).order_by(E.c.sequence))

    async def reversal_of(self, transaction_id: str) -> str | None:
        return (await self.session.execute(select(T.c.id).where(T.c.reverses_id == transaction_id))).scalar()

    async def history(self, account_id: str, *, before: int | None, limit: int, start: datetime | None,
                      end: datetime | None, direction: str | None, counterparty_id: str | None,
                      type_: str | None, ascending: bool = False,
                      before_at: datetime | None = None) -> list[dict[str, Any]]:
        """A keyset page: in version order on (account_id, account_version); within a period, in
        (posted_at, account_version) order on (account_id, posted_at, account_version), after the
        cursor's (`before_at`, `before`). Either way a range scan that stops at `limit` rows."""
        query = select(E).where(E.c.account_id == account_id)
        period = start is not None or end is not None
        key = (E.c.posted_at, E.c.account_version) if period else (E.c.account_version,)
        if before is not None:
            if period and before_at is not None:
                mark, cursor = tuple_(*key), tuple_(literal(before_at, E.c.posted_at.type), literal(before))
                query = query.where(mark > cursor if ascending else mark < cursor)
            else:
                query = query.where(E.c.account_version > before if ascending else E.c.account_version < before)
        if start is not None:
            query = query.where(E.c.posted_at >= start)
        if end is not None:
            query = query.where(E.c.posted_at < end)
        if counterparty_id is not None:
            query = query.where(E.c.counterparty_id == counterparty_id)
        if type_ is not None:
            query = query.where(E.c.type == type_)
        if direction is not None:
            query = query.where(E.c.direction == direction)
        return await self._rows(query.order_by(*(c.asc() if ascending else c.desc() for c in key)).limit(limit))

    async def period_totals(self, account_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """(debits, credits) of the entries posted in [start, end), as positive minor units: one
        aggregate over the (account_id, posted_at) index range. SQLite keeps amounts as text (exact to
        38 digits), which its SUM would turn into floats: there the one query returns the amounts."""
        period = (E.c.account_id == account_id, E.c.posted_at >= start, E.c.posted_at < end)
        if self.dialect == "sqlite":
            amounts = [amount for (amount,) in (await self.session.execute(select(E.c.amount).where(*period))).all()]
            return -sum(a for a in amounts if a < 0), sum(a for a in amounts if a > 0)
        debits = func.coalesce(func.sum(case((E.c.amount < 0, -E.c.amount), else_=0)), 0)
        credits = func.coalesce(func.sum(case((E.c.amount > 0, E.c.amount), else_=0)), 0)
        row = (await self.session.execute(select(debits, credits).where(*period))).one()
        return int(row[0]), int(row[1])

    async def last_entry_before(self, account_id: str, instant: datetime) -> dict[str, Any] | None:
        rows = await self._rows(select(E).where(E.c.account_id == account_id, E.c.posted_at <= instant)
                                .order_by(E.c.posted_at.desc(), E.c.account_version.desc()).limit(1))
        return rows[0] if rows else None

    # --- holds ----------------------------------------------------------------------------
    async def insert_holds(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(H), rows)

    async def lock_holds(self, *, ids: Sequence[str] = (), chain_id: str | None = None) -> list[dict[str, Any]]:
        query = select(H).order_by(H.c.id)
        query = query.where(H.c.chain_id == chain_id) if chain_id else query.where(H.c.id.in_(list(ids)))
        if self.dialect == "postgresql":
            query = query.with_for_update()
        else:
            cond = H.c.chain_id == chain_id if chain_id else H.c.id.in_(list(ids))
            await self.session.execute(update(H).where(cond).values(status=H.c.status))
        return await self._rows(query)

    async def due_holds(self, now: datetime, limit: int) -> list[dict[str, Any]]:
        query = select(H).where(H.c.status == "PENDING", H.c.expires_at <= now).order_by(H.c.id).limit(limit)
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        else:
            await self.session.execute(update(H).where(H.c.status == "PENDING", H.c.expires_at <= now)
                                       .values(status=H.c.status))
        return await self._rows(query)

    async def save_holds(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        cols = ("status", "posted_amount", "transaction_id", "resolved_at")
        await self.session.execute(
            update(H).where(H.c.id == bindparam("v_id")).values(**{c: bindparam(f"v_{c}") for c in cols})
            .execution_options(synchronize_session=False),
            [{f"v_{k}": r[k] for k in ("id", *cols)} for r in rows],
        )

    async def holds(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return await self._rows(select(H).where(H.c.id.in_(list(ids))).order_by(H.c.id))

    async def holds_of(self, account_id: str, *, after: str | None, limit: int, status: str | None) -> list[dict[str, Any]]:
        query = select(H).where(or_(H.c.account_id == account_id, H.c.destination_id == account_id))
        if after:
            query = query.where(H.c.id < after)
        if status:
            query = query.where(H.c.status == status)
        return await self._rows(query.order_by(H.c.id.desc()).limit(limit))

    # --- integrity ------------------------------------------------------------------------
    async def all_accounts(self) -> list[dict[str, Any]]:
        return await self._rows(select(A).order_by(A.c.id))

    # --- integrity, streamed: memory holds one batch of rows, whatever the journal's size --------
    async def _partitions(self, query: Any, batch: int):  # type: ignore[no-untyped-def]
        """The rows of a query, `batch` at a time (lists of tuples in the query's column order):
        a server-side cursor on PostgreSQL, `fetchmany` on SQLite."""
        result = await self.session.stream(query.execution_options(yield_per=batch))
        try:
            async for partition in result.partitions():
                yield partition
        finally:
            await result.close()

    def unknown_transaction_ids(self, batch: int):  # type: ignore[no-untyped-def]
        """(transaction_id,) of entries whose transaction does not exist, each once, in order."""
        query = (select(E.c.transaction_id).where(~select(T.c.id).where(T.c.id == E.c.transaction_id).exists())
                 .group_by(E.c.transaction_id).order_by(E.c.transaction_id))
        return self._partitions(query, batch)

    def transactions_with_entries(self, batch: int):  # type: ignore[no-untyped-def]
        """(*T columns, entry_sequence, entry_account_id, entry_amount, entry_asset): one row per entry,
        or one row with NULL entry columns for a transaction without entries, in transaction id order,
        so a transaction's rows are consecutive (whatever the collation)."""
        query = (select(T, E.c.sequence.label("entry_sequence"), E.c.account_id.label("entry_account_id"),
                        E.c.amount.label("entry_amount"), E.c.asset.label("entry_asset"))
                 .select_from(T.outerjoin(E, E.c.transaction_id == T.c.id)).order_by(T.c.id))
        return self._partitions(query, batch)

    def entries_with_digests(self, batch: int):  # type: ignore[no-untyped-def]
        """(account_id, account_version, amount, balance_after, asset, transaction_id, hash, digest) of
        every entry in (account_id, account_version) order; digest is its transaction's stored seal,
        NULL when the transaction does not exist."""
        query = (select(E.c.account_id, E.c.account_version, E.c.amount, E.c.balance_after, E.c.asset,
                        E.c.transaction_id, E.c.hash, T.c.digest)
                 .select_from(E.outerjoin(T, T.c.id == E.c.transaction_id))
                 .order_by(E.c.account_id, E.c.account_version))
        return self._partitions(query, batch)

    def open_hold_amounts(self, batch: int):  # type: ignore[no-untyped-def]
        """(account_id, destination_id, amount) of every pending hold."""
        query = select(H.c.account_id, H.c.destination_id, H.c.amount).where(H.c.status == "PENDING")
        return self._partitions(query, batch)


__all__ = ["A", "E", "H", "LedgerRepository", "R", "T", "and_"]
