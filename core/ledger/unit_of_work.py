"""The ledger's units of work and its client-id idempotency runner.

Every write of the ledger carries a client id: the same id with the same content gives back the
original result, the same id with other content is refused with `IDEMPOTENCY_KEY_REUSED`.

Without a request, a write runs in a unit of work of the ledger's own (`LedgerUnits.once`): retried
on a conflict, a business refusal recorded so that it stays the answer. Such a unit commits here and
nowhere else; after it did, `on_commit` wakes the outbox relay (app/runtime.py wires it to
`Runtime.committed`).

Inside a request, a write joins the request's unit of work (`LedgerUnits.once_within`, ADR 0021):
nothing here commits or retries it, and a refusal is raised for the caller's unit to roll back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.observability import current_traceparent
from core.platform.problems import ProblemError

from . import errors
from .driver_repository import DriverLedgerRepository, translated_errors
from .prediction import AccountStates, Mispredicted
from .repository import LedgerRepository
from .service import ItemFailed, LedgerService

_HELD: ContextVar[AsyncConnection | None] = ContextVar("ledger_held_connection", default=None)
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock (neither expected with ordered locks)
_SQLITE_WRITERS: dict[str, asyncio.Lock] = {}


class Item(NamedTuple):
    client_id: str
    kind: str
    hash: str


def problem_record(problem: ProblemError) -> dict[str, Any]:
    return {"status": problem.status, "code": problem.code, "title": problem.title, "detail": problem.detail}


def stored_problem(record: dict[str, Any]) -> ProblemError:
    return ProblemError(record["status"], record["code"], record["title"], record["detail"])


def retryable(exc: DBAPIError) -> bool:
    for error in (exc.orig, getattr(exc.orig, "__cause__", None)):
        if getattr(error, "sqlstate", None) in RETRYABLE_SQLSTATES or getattr(error, "pgcode", None) in RETRYABLE_SQLSTATES:
            return True
    return False


Work = Callable[[LedgerService, list[int]], Awaitable[dict[int, Any]]]


class LedgerUnits:
    """The units of work of one ledger facade over one database. `fault` lets tests crash a unit
    just before its commit; `on_commit` runs after every unit that committed."""

    def __init__(self, db: Database, *, serializable: bool, predict: bool) -> None:
        self.db = db
        self.serializable = serializable
        self.predict = predict
        self.fault: Callable[[str], None] | None = None
        self.on_commit: Callable[[], None] | None = None
        self._scales: dict[str, int] = {}
        # The lock gate and account states of these units of work, per event loop (tests run several).
        self._per_loop: tuple[asyncio.AbstractEventLoop, asyncio.Lock, AccountStates] | None = None

    # --- reference data -------------------------------------------------------------------
    async def scales(self) -> dict[str, int]:
        if not self._scales:
            async with self.db.unit_of_work() as session:
                self._scales = await LedgerRepository(session).scales()
        return self._scales

    async def scale_of(self, asset: str) -> int:
        scales = await self.scales()
        if asset not in scales:
            self._scales = {}
            scales = await self.scales()
        if asset not in scales:
            raise errors.asset_not_found(asset)
        return scales[asset]

    # --- sessions and connections ---------------------------------------------------------
    @asynccontextmanager
    async def reading(self, session: AsyncSession | None = None) -> AsyncIterator[LedgerRepository]:
        """Reads on the caller's unit of work (a request's session) when there is one, else on a unit
        of their own."""
        if session is not None:
            yield LedgerRepository(session)
            return
        async with self.db.unit_of_work() as own:
            yield LedgerRepository(own)

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[None]:
        # SQLite has one writer at a time anyway; queueing here beats spinning on its busy handler.
        if self.db.dialect != "sqlite":
            yield
            return
        lock = _SQLITE_WRITERS.setdefault(self.db.url, asyncio.Lock())
        async with lock:
            yield

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: on the connection a group-commit flusher holds, else from the pool."""
        held = _HELD.get()
        if held is None:
            async with self.db.unit_of_work() as session:
                yield session
            return
        async with self.db.sessions(bind=held) as session, session.begin():
            yield session

    @asynccontextmanager
    async def hold_connection(self) -> AsyncIterator[None]:
        """PostgreSQL: one pool checkout (and its liveness ping, three round trips) for a run of
        group commits instead of one per unit of work."""
        if self.db.dialect != "postgresql":
            yield
            return
        async with self.db.engine.connect() as connection:
            token = _HELD.set(connection)
            try:
                yield
            finally:
                _HELD.reset(token)

    @asynccontextmanager
    async def driver_connection(self) -> AsyncIterator[asyncpg.Connection]:
        """The asyncpg connection under the flusher's held connection, or under one from the pool."""
        held = _HELD.get()
        if held is not None:
            async with self._checked_driver(held) as driver:
                yield driver
            return
        async with self.db.engine.connect() as connection, self._checked_driver(connection) as driver:
            yield driver

    @staticmethod
    @asynccontextmanager
    async def _checked_driver(connection: AsyncConnection) -> AsyncIterator[asyncpg.Connection]:
        """A unit cancelled while rolling back can leave its transaction open, which the pool's
        reset does not see (it only ends transactions the session began): such a connection is
        thrown away rather than handed to the next unit inside a transaction, as is one a failed
        checked write closed (driver.py: `write_checked`)."""
        driver = (await connection.get_raw_connection()).driver_connection
        try:
            yield driver
        finally:
            if driver.is_closed() or driver.is_in_transaction():
                await connection.invalidate()

    # --- the unit of work -----------------------------------------------------------------
    @asynccontextmanager
    async def unit(self, *, driver: bool = False, predict: bool = False,
                   rerun: bool = False) -> AsyncIterator[LedgerService]:
        """A unit of work. `driver`: the transaction path, run on the driver's connection on
        PostgreSQL (without the session; see core/ledger/driver.py), its units leaving their rows
        for the next (with `predict`, computing on those and written by one checked statement:
        core/ledger/prediction.py)."""
        scales = await self.scales()
        if driver and self.db.dialect == "postgresql" and not self.serializable:
            async with self.driver_connection() as connection, translated_errors():
                repo = DriverLedgerRepository(connection, self.gate())
                service = LedgerService(None, None, scales=scales, now=utcnow(), traceparent=current_traceparent(),
                                        repo=repo, states=self.states(), remember=True,
                                        predict=predict and self.predict, rerun=rerun)
                try:
                    async with repo.unit(), self._unit_body(service):
                        yield service
                except BaseException:
                    service.abandon()  # the commit, too, may fail after the unit left its rows for the next
                    raise
        else:
            async with self.writer(), self._session() as session:
                if self.serializable:
                    await LedgerRepository(session).isolate("SERIALIZABLE")
                service = LedgerService(session, None, scales=scales, now=utcnow(), traceparent=current_traceparent(),
                                        states=self.states())
                service.repo.lock_rows = not self.serializable
                try:
                    async with self._unit_body(service):
                        yield service
                except BaseException:
                    service.abandon()
                    raise
        if self.on_commit is not None:
            self.on_commit()

    def _loop_parts(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Lock, AccountStates]:
        loop = asyncio.get_running_loop()
        if self._per_loop is None or self._per_loop[0] is not loop:
            self._per_loop = (loop, asyncio.Lock(), AccountStates())
        return self._per_loop

    def gate(self) -> asyncio.Lock:
        """The lock gate of these units of work (core/ledger/driver.py: `lock_accounts`)."""
        return self._loop_parts()[1]

    def states(self) -> AccountStates:
        """The account rows these units of work left (core/ledger/prediction.py)."""
        return self._loop_parts()[2]

    @asynccontextmanager
    async def _unit_body(self, service: LedgerService) -> AsyncIterator[None]:
        try:
            yield
        except BaseException:
            await service.settle()
            raise
        await service.flush(before_commit=self._before_commit)

    def _before_commit(self) -> None:
        if self.fault is not None:
            self.fault("before_commit")

    @asynccontextmanager
    async def within(self, ctx: RequestContext) -> AsyncIterator[LedgerService]:
        """A unit on the caller's unit of work (a request's session): accounts locked in id order, events
        to the caller's outbox, nothing committed and nothing retried here (the caller's invoker owns
        the transaction: ADR 0021). Its rows are not remembered for prediction: they are not
        committed yet, and may never be."""
        service = LedgerService(ctx.session, ctx.events, scales=await self.scales(), now=utcnow(),
                                states=self.states())
        try:
            yield service
            await service.flush()
        except BaseException:
            await service.settle()
            service.abandon()
            raise

    # --- client-id idempotency ------------------------------------------------------------
    @staticmethod
    def _sorted(items: Sequence[Item], known: dict[str, dict[str, Any]]) -> tuple[list[Any], list[int]]:
        """The outcome of each item seen before (its result, its recorded refusal, or
        IDEMPOTENCY_KEY_REUSED for other content), and the indexes of the fresh ones."""
        outcomes: list[Any] = [None] * len(items)
        fresh: list[int] = []
        for index, item in enumerate(items):
            record = known.get(item.client_id)
            if record is None:
                fresh.append(index)
            elif record["kind"] != item.kind or record["request_hash"] != item.hash:
                outcomes[index] = errors.key_reused(item.client_id)
            else:
                outcomes[index] = record["result"] if record["succeeded"] else stored_problem(record["result"])
        return outcomes, fresh

    @staticmethod
    def _keep(service: LedgerService, items: Sequence[Item], fresh: list[int], results: dict[int, Any],
              outcomes: list[Any]) -> None:
        """Record the fresh items' results (applied, or refused on their own) with the unit's writes."""
        record, now = service.requests.append, service.now
        for index in fresh:
            result = results[index]
            failed = isinstance(result, ProblemError)
            record({"client_id": items[index].client_id, "kind": items[index].kind, "request_hash": items[index].hash,
                    "succeeded": not failed, "result": problem_record(result) if failed else result,
                    "created_at": now})
            outcomes[index] = result

    async def once_within(self, ctx: RequestContext, items: Sequence[Item], work: Work, *,
                          linked: bool) -> list[Any]:
        """`once` on the caller's unit of work: an id recorded before (committed, or earlier in the same
        unit) replays or is refused as in `once`. A refusal of a linked request is raised and not
        recorded: the caller's unit rolls back, and the caller's own idempotency (the Idempotency-Key
        of an API call) keeps the answer. A conflict (the same id recorded concurrently, a
        serialization failure, a deadlock) propagates to the caller's invoker, unretried."""
        async with self.within(ctx) as service:
            outcomes, fresh = self._sorted(items, await service.repo.requests([i.client_id for i in items]))
            if linked:
                for outcome in outcomes:
                    if isinstance(outcome, ProblemError):
                        raise outcome
            try:
                results = await work(service, fresh) if fresh else {}
            except ItemFailed as failure:
                raise failure.problem from None
            self._keep(service, items, fresh, results, outcomes)
        return outcomes

    async def once(self, items: Sequence[Item], work: Work, *, linked: bool, driver: bool = False,
                   predict: bool = False) -> list[Any]:
        """Run `work` on the items not seen before; replay or refuse the others. Results per item:
        the stored result dict, or a ProblemError (raised instead when `linked`)."""
        fresh: list[int] = []
        rerun = False
        for attempt in range(50 if self.serializable else 8):
            try:
                async with self.unit(driver=driver, predict=predict, rerun=rerun) as service:
                    # Optimistic first attempt: an id seen before makes the insert of its record
                    # conflict, which rolls everything back; the next attempt reads and replays.
                    known = await service.repo.requests([i.client_id for i in items]) if attempt else {}
                    outcomes, fresh = self._sorted(items, known)
                    if linked:
                        for outcome in outcomes:
                            if isinstance(outcome, ProblemError):
                                raise ItemFailed(-1, outcome)
                    results = await work(service, fresh) if fresh else {}
                    self._keep(service, items, fresh, results, outcomes)
                return outcomes
            except ItemFailed as failure:
                if failure.index < 0:
                    raise failure.problem from None
                if await self._record_failure([(i, items[i]) for i in fresh], failure):
                    raise failure.problem from None
            except Mispredicted:
                # The next round computes on the locked rows, in its turn: the rows it leaves are
                # then the ones the units after it predict on (without the turn, they would predict
                # on rows it is about to change, and miss in their turn).
                rerun = True
            except IntegrityError:
                continue  # the same client id committed meanwhile: the next round replays it
            except DBAPIError as exc:
                if not retryable(exc):
                    raise
        raise ProblemError(503, "LEDGER_BUSY", "Ledger busy",
                           "The ledger could not settle this request now; retry with the same ids.")

    async def _record_failure(self, items: Sequence[tuple[int, Item]], failure: ItemFailed) -> bool:
        """A linked batch failed: every item of it stays failed. False when an id got used meanwhile."""
        now = utcnow()
        try:
            async with self.writer(), self.db.unit_of_work() as session:
                await LedgerRepository(session).insert_requests([
                    {"client_id": item.client_id, "kind": item.kind, "request_hash": item.hash, "succeeded": False,
                     "result": problem_record(failure.problem if index == failure.index
                                              else errors.linked_failed(item.client_id)),
                     "created_at": now}
                    for index, item in items
                ])
            return True
        except IntegrityError:
            return False
