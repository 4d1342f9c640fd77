"""Hypothesis stateful test: the ledger against an in-memory model.

Open, fund, transfer, hold, post in part, void, expire, reuse client ids with the same and with
different content, crash in the middle of a transaction. After every step: balances equal the
model and the fold of the entries, every transaction sums to zero, the trial balance is zero,
no bound is crossed, hash chains hold (the integrity check of `python -m app ledger verify`).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from core.ledger.api import HoldSpec, Ledger, NewAccount
from core.ledger.verify import verify
from core.platform.clock import utcnow
from core.platform.db import Database
from core.platform.problems import ProblemError
from tests.conftest import _pg_url
from tests.services import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # the ledger's SQL paths under generated workloads


@dataclass
class ModelAccount:
    id: str
    credit_limit: int
    posted: int = 0
    pending: int = 0

    @property
    def available(self) -> int:
        return self.posted - self.pending


@dataclass
class ModelHold:
    id: str
    source: str
    target: str
    amount: int
    status: str = "PENDING"


class Crash(RuntimeError):
    pass


def crash(stage: str) -> None:
    raise Crash(stage)


def make_machine(backend: str, template: str) -> type[RuleBasedStateMachine]:
    class LedgerMachine(RuleBasedStateMachine):
        accounts = Bundle("accounts")
        holds = Bundle("holds")
        requests = Bundle("requests")

        def __init__(self) -> None:
            super().__init__()
            self.loop = asyncio.new_event_loop()
            self.cleanup: list[Any] = []
            if backend == "sqlite":
                folder = Path(tempfile.mkdtemp(prefix="ledger-model-"))
                shutil.copyfile(template, folder / "db.sqlite")
                url = f"sqlite+aiosqlite:///{folder / 'db.sqlite'}"
                self.cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
            else:
                name = f"darca_m_{uuid.uuid4().hex[:12]}"
                self.run(self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                url = _pg_url(name)
                self.cleanup.append(lambda: self.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))
            self.db = Database(url)
            self.ledger = Ledger(self.db)
            self.model: dict[str, ModelAccount] = {}
            self.model_holds: dict[str, ModelHold] = {}
            self.world: str | None = None
            self.counter = 0

        @staticmethod
        async def _admin(sql: str) -> None:
            admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
            try:
                await admin.execute(sql)
            finally:
                await admin.close()

        def run(self, coro: Any) -> Any:
            return self.loop.run_until_complete(coro)

        def teardown(self) -> None:
            self.run(self.db.dispose())
            for step in reversed(self.cleanup):
                step()
            self.loop.close()

        def next_id(self) -> str:
            self.counter += 1
            return f"cid-{self.counter}"

        def attempt(self, coro: Any) -> tuple[Any, str | None]:
            try:
                return self.run(coro), None
            except ProblemError as problem:
                return None, problem.code

        # --- rules --------------------------------------------------------------------
        @initialize(target=accounts)
        def first_account(self) -> str:
            return self._funded(0)

        @initialize(target=accounts)
        def second_account(self) -> str:
            return self._funded(0)

        @initialize(target=accounts)
        def third_account(self) -> str:
            return self._funded(500)

        def _funded(self, credit: int) -> str:
            account = self._open(credit)
            self.fund(account, 10_000)
            return account

        @rule(target=accounts, credit=st.sampled_from([0, 0, 0, 500]))
        def open_account(self, credit: int) -> str:
            return self._open(credit)

        def _open(self, credit: int) -> str:
            account = self.run(self.ledger.open_account(None, NewAccount(
                self.next_id(), "PERSON", f"usr_{self.counter}", "EUR", credit_limit=credit or None)))
            self.model[account.id] = ModelAccount(account.id, credit)
            return account.id

        @rule(account=accounts, amount=st.integers(1, 5_000))
        def fund(self, account: str, amount: int) -> None:
            txn = self.run(self.ledger.top_up(None, self.next_id(), account, amount))
            self.world = next(e.account_id for e in txn.entries if e.account_id != account)
            self.model[account].posted += amount

        def _transfer_allowed(self, source: str, target: str, amount: int) -> bool:
            return source != target and self.model[source].available - amount >= -self.model[source].credit_limit

        @rule(target=requests, source=accounts, target_account=accounts, amount=st.integers(1, 2_500))
        def transfer(self, source: str, target_account: str, amount: int) -> tuple[str, str, str, int, Any, Any]:
            client_id = self.next_id()
            expected = self._transfer_allowed(source, target_account, amount)
            txn, code = self.attempt(self.ledger.transfer(None, client_id, source, target_account, amount))
            assert (code is None) == expected, (code, expected)
            if expected:
                self.model[source].posted -= amount
                self.model[target_account].posted += amount
            return client_id, source, target_account, amount, txn.id if txn else None, code

        @rule(request=requests)
        def retry_same(self, request: tuple[str, str, str, int, Any, Any]) -> None:
            client_id, source, target, amount, txn_id, code = request
            txn, again = self.attempt(self.ledger.transfer(None, client_id, source, target, amount))
            assert again == code and (txn.id if txn else None) == txn_id

        @rule(request=requests, delta=st.integers(1, 100))
        def retry_different(self, request: tuple[str, str, str, int, Any, Any], delta: int) -> None:
            client_id, source, target, amount, _, _ = request
            _, code = self.attempt(self.ledger.transfer(None, client_id, source, target, amount + delta))
            assert code == "IDEMPOTENCY_KEY_REUSED"

        @rule(source=accounts, target_account=accounts, amount=st.integers(1, 2_500))
        def crash_mid_transaction(self, source: str, target_account: str, amount: int) -> None:
            client_id = self.next_id()
            self.ledger.fault = crash
            try:
                with pytest.raises((Crash, ProblemError)):
                    self.run(self.ledger.transfer(None, client_id, source, target_account, amount))
            finally:
                self.ledger.fault = None
            # Nothing was kept: the same id works afterwards as if never seen.
            expected = self._transfer_allowed(source, target_account, amount)
            _, code = self.attempt(self.ledger.transfer(None, client_id, source, target_account, amount))
            assert (code is None) == expected
            if expected:
                self.model[source].posted -= amount
                self.model[target_account].posted += amount

        @rule(target=holds, source=accounts, target_account=accounts, amount=st.integers(1, 2_500))
        def hold(self, source: str, target_account: str, amount: int) -> str:
            expected = self._transfer_allowed(source, target_account, amount)
            hold, code = self.attempt(self.ledger.create_hold(None, 
                HoldSpec(self.next_id(), source, target_account, amount, utcnow() + timedelta(hours=1))))
            assert (code is None) == expected, (code, expected)
            if hold is None:
                return "hld_none"
            self.model[source].pending += amount
            self.model_holds[hold.id] = ModelHold(hold.id, source, target_account, amount)
            return hold.id

        @rule(hold_id=holds, share=st.integers(1, 100))
        def post_partial(self, hold_id: str, share: int) -> None:
            model = self.model_holds.get(hold_id)
            if model is None:
                return
            amount = max(1, model.amount * share // 100)
            hold, code = self.attempt(self.ledger.post_hold(None, self.next_id(), hold_id, amount))
            if model.status != "PENDING":
                assert code == "HOLD_ALREADY_RESOLVED"
                return
            assert code is None and hold.posted_amount == amount
            model.status = "POSTED"
            self.model[model.source].pending -= model.amount
            self.model[model.source].posted -= amount
            self.model[model.target].posted += amount

        @rule(hold_id=holds)
        def void(self, hold_id: str) -> None:
            model = self.model_holds.get(hold_id)
            if model is None:
                return
            _, code = self.attempt(self.ledger.void_hold(None, self.next_id(), hold_id))
            if model.status != "PENDING":
                assert code == "HOLD_ALREADY_RESOLVED"
                return
            assert code is None
            model.status = "VOIDED"
            self.model[model.source].pending -= model.amount

        @rule()
        def expire(self) -> None:
            expired = self.run(self.ledger.expire_due(None, now=utcnow() + timedelta(hours=2)))
            pending = [h for h in self.model_holds.values() if h.status == "PENDING"]
            assert expired == len(pending)
            for model in pending:
                model.status = "EXPIRED"
                self.model[model.source].pending -= model.amount

        # --- invariants ---------------------------------------------------------------
        @invariant()
        def balances_match_the_model_and_the_journal(self) -> None:
            for account_id, model in self.model.items():
                account = self.run(self.ledger.get_account(None, account_id))
                assert (account.posted, account.pending) == (model.posted, model.pending), account_id
                assert account.available >= -model.credit_limit
            if self.world is not None:
                world = self.run(self.ledger.get_account(None, self.world))
                assert world.posted + sum(m.posted for m in self.model.values()) == 0
            report = self.run(verify(self.db))
            assert report.ok, report.problems

    return LedgerMachine


def test_ledger_against_model(template_database: tuple[str, str]) -> None:
    backend, template = template_database
    machine = make_machine(backend, template)
    examples = 40 if backend == "sqlite" else 12
    settings_ = settings(max_examples=examples, stateful_step_count=30, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    machine.TestCase.settings = settings_
    runner = machine.TestCase("runTest")
    runner.runTest()
