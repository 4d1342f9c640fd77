"""The database goes away under the background jobs (outbox relay, notification dispatcher, hold
expiry, KYC worker): each backs off and logs one line when the outage begins and one when it ends,
not one per poll, and carries on by itself.

The database keeps running: a local TCP forwarder between the jobs and PostgreSQL is cut and
resumed (as in test_connection_loss.py), so this runs beside other users of the server.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import structlog

from core.identity.kyc.sandbox import SandboxKycProvider
from core.identity.kyc.worker import KycWorker
from core.ledger.api import Ledger
from core.ledger.scheduler import HoldExpiryScheduler
from core.notifications.dispatcher import NotificationDispatcher
from core.notifications.mailer import Mailer
from core.platform.background import Outage
from core.platform.bus import InProcessBus
from core.platform.db import Database
from core.platform.outbox import OutboxRelay
from tests.bus_helpers import TcpForwarder
from tests.support.waiting import eventually

# outages wait up to 120 s by design
pytestmark = [pytest.mark.backends("postgresql"), pytest.mark.timeout(300)]


@contextlib.contextmanager
def every_log_line() -> Iterator[list[dict[str, Any]]]:
    """Captured log entries of every level (the suite may have configured WARNING and above)."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    try:
        with structlog.testing.capture_logs() as logs:
            yield logs
    finally:
        structlog.configure(**saved)


def through(forwarder: TcpForwarder, database_url: str) -> str:
    parts = urlsplit(database_url)
    netloc = f"{parts.username}@127.0.0.1:{forwarder.port}" if parts.username else f"127.0.0.1:{forwarder.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def lines(logs: list[dict[str, Any]], event: str, job: str) -> list[dict[str, Any]]:
    return [entry for entry in logs if entry["event"] == event and entry.get("job") == job]


async def test_background_jobs_log_one_line_per_outage_and_recover(database_url: str, tmp_path: Path) -> None:
    forwarder = TcpForwarder(urlsplit(database_url).port or 5432)
    await forwarder.resume()
    db = Database(through(forwarder, database_url), connect_timeout=2.0)
    mailer = Mailer(sender="DARCA <no-reply@darca.test>", smtp_host=None, smtp_port=25, spool_dir=tmp_path / "mail")
    relay = OutboxRelay(db, InProcessBus(), poll_seconds=0.02)
    dispatcher = NotificationDispatcher(db, mailer, poll_seconds=0.02)
    expiry = HoldExpiryScheduler(Ledger(db, sandbox=True), poll_ms=20)
    kyc = KycWorker(db, SandboxKycProvider(delay_ms=0), poll_ms=20)
    jobs: dict[str, tuple[Any, Outage]] = {
        "outbox-relay": (relay, relay.outage), "notification-dispatcher": (dispatcher, dispatcher.outage),
        "ledger-hold-expiry": (expiry, expiry.outage), "identity-kyc-worker": (kyc, kyc.outage),
    }
    try:
        with every_log_line() as logs:
            for job, _ in jobs.values():
                job.start()

            await forwarder.cut()
            await eventually(lambda: _all(lambda o: o.failures >= 4, jobs), timeout=30)
            assert all(outage.delay > outage.base for _, outage in jobs.values())  # backing off
            await forwarder.resume()
            await eventually(lambda: _all(lambda o: o.failures == 0, jobs), timeout=30)

        for name in jobs:
            began = lines(logs, "background.outage", name)
            assert len(began) == 1, (name, began)
            assert began[0]["log_level"] == "warning" and began[0]["dependency"] == "DATABASE"
            assert "exc_info" not in began[0] or began[0]["exc_info"] is None  # an outage is not a bug
            ended = lines(logs, "background.recovered", name)
            assert len(ended) == 1 and ended[0]["failures"] >= 4, (name, ended)
        assert not [e for e in logs if e["log_level"] in ("error", "critical")]
    finally:
        for job, _ in jobs.values():
            await job.stop()
        await forwarder.cut()
        await db.dispose()


async def _all(check: Any, jobs: dict[str, tuple[Any, Outage]]) -> bool:
    return all(check(outage) for _, outage in jobs.values())
