"""Which errors count as an outage of a dependency (503) and which stay bugs (500)."""

from __future__ import annotations

import sqlite3

import asyncpg
from sqlalchemy.exc import OperationalError

from core.platform.brokers import BrokerUnavailable
from core.platform.outages import BROKER, DATABASE, DEPENDENCY, outage_of, outage_problem


def raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - the error with its traceback, as a handler sees it
        return caught


def test_a_locked_sqlite_database_is_an_outage_but_a_missing_table_is_a_bug() -> None:
    locked = OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
    missing = OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: nowhere"))
    assert outage_of(locked) == DATABASE
    assert outage_of(missing) is None


def test_a_server_shutting_down_is_an_outage_and_a_syntax_error_is_not() -> None:
    def wrapped(error: Exception) -> OperationalError:  # as SQLAlchemy's asyncpg adapter chains it
        outer = OperationalError("SELECT 1", {}, RuntimeError(str(error)))
        outer.__cause__ = error
        return outer

    assert outage_of(wrapped(asyncpg.exceptions.AdminShutdownError("terminating connection"))) == DATABASE
    assert outage_of(wrapped(asyncpg.exceptions.CannotConnectNowError("the database system is starting up"))) == DATABASE
    assert outage_of(wrapped(asyncpg.exceptions.TooManyConnectionsError("too many clients"))) == DATABASE
    assert outage_of(wrapped(asyncpg.exceptions.PostgresSyntaxError("syntax error"))) is None


def test_a_raw_connection_the_server_dropped_is_an_outage_and_other_misuse_is_not() -> None:
    assert outage_of(asyncpg.exceptions.InterfaceError("cannot perform operation: connection is closed")) == DATABASE
    assert outage_of(asyncpg.exceptions.InterfaceError("the number of query arguments cannot exceed 32767")) is None


def test_the_broker_and_other_services_have_codes_of_their_own() -> None:
    wrapped = raised(RuntimeError("publishing failed"))
    wrapped.__cause__ = BrokerUnavailable("rabbitmq is not connected")
    assert outage_of(wrapped) == BROKER
    assert outage_of(raised(ConnectionRefusedError(111, "Connection refused"))) == DEPENDENCY
    assert outage_of(raised(ValueError("a bug"))) is None


def test_the_answer_to_an_outage_is_503_with_retry_after_and_stores_nothing() -> None:
    problem = outage_problem(BrokerUnavailable("nats is not connected"))
    assert problem is not None
    assert (problem.status, problem.code) == (503, "BROKER_UNAVAILABLE")
    assert int(problem.headers["Retry-After"]) > 0
    assert not problem.stored_for_idempotency
