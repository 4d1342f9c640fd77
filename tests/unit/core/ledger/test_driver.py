"""Driver errors of the PostgreSQL transaction path, as the facade's retry loop expects them."""

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.ledger.unit_of_work import retryable as _retryable
from core.ledger.driver_repository import translated_errors


async def test_a_unique_violation_becomes_an_integrity_error() -> None:
    with pytest.raises(IntegrityError) as caught:
        async with translated_errors():
            raise asyncpg.UniqueViolationError("duplicate key value violates unique constraint")
    assert isinstance(caught.value.orig, asyncpg.UniqueViolationError)


@pytest.mark.parametrize(("error", "retry"), [(asyncpg.SerializationError, True), (asyncpg.DeadlockDetectedError, True),
                                              (asyncpg.DivisionByZeroError, False)])
async def test_other_server_errors_keep_their_sqlstate_for_the_retry_decision(error: type, retry: bool) -> None:
    with pytest.raises(DBAPIError) as caught:
        async with translated_errors():
            raise error("refused")
    assert not isinstance(caught.value, IntegrityError)
    assert _retryable(caught.value) is retry


async def test_errors_that_are_not_the_servers_pass_unchanged() -> None:
    with pytest.raises(ConnectionResetError):
        async with translated_errors():
            raise ConnectionResetError


async def test_lock_statements_of_a_process_reach_the_server_one_at_a_time() -> None:
    import asyncio

    from core.ledger.driver_repository import DriverLedgerRepository

    class Transaction:
        async def start(self) -> None:
            pass

    class Connection:
        in_flight = peak = 0

        def transaction(self) -> Transaction:
            return Transaction()

        async def fetch(self, sql: str, ids: list[str]) -> list[dict[str, str]]:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            await asyncio.sleep(0.01)
            self.in_flight -= 1
            return [{"id": i} for i in ids]  # records: keys() and values() as asyncpg gives them

    connection, gate = Connection(), asyncio.Lock()
    repos = [DriverLedgerRepository(connection, gate) for _ in range(4)]  # type: ignore[arg-type]
    locked = await asyncio.gather(*(r.lock_accounts({f"acc_{n}", "acc_x"}) for n, r in enumerate(repos)))
    assert connection.peak == 1
    assert [sorted(rows) for rows in locked] == [sorted({f"acc_{n}", "acc_x"}) for n in range(4)]
