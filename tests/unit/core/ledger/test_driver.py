"""Driver errors of the PostgreSQL transaction path, as the facade's retry loop expects them."""

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.ledger.api import _retryable
from core.ledger.driver import translated_errors


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
