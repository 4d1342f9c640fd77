"""Delivery after commit: a rolled-back unit of work sends nothing, an SMTP outage loses nothing,
retries back off and give up as FAILED, and several dispatchers never send a message twice."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.main import create_app
from app.runtime import build_runtime
from core.notifications.dispatcher import NotificationDispatcher
from core.notifications.mailer import Mailer, read_spool
from core.notifications.service import NotificationService
from core.notifications.tables import NotificationRow
from core.platform.clock import Clock
from core.platform.db import Database
from core.platform.ids import new_id
from tests.conftest import make_settings
from tests.support.context import system_context
from tests.support.waiting import eventually

from .test_email_delivery import Collect, free_port

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # dispatchers claim due rows concurrently in SQL

CODE = {"code": "424242", "minutes": 10}


async def rows_of(db: Database, channel: str = "EMAIL") -> list[NotificationRow]:
    async with db.unit_of_work() as session:
        return list((await session.execute(select(NotificationRow).where(NotificationRow.channel == channel)
                                           .order_by(NotificationRow.id))).scalars().all())


async def test_a_rolled_back_unit_of_work_sends_nothing(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, mail_spool_dir=str(tmp_path / "mail"))
    runtime = build_runtime(settings)
    await runtime.start(grpc=False)
    try:
        with pytest.raises(RuntimeError):
            async with runtime.db.unit_of_work() as session:
                await NotificationService(system_context(session)).send(
                    user_id=new_id("usr"), channel="EMAIL", recipient="x@example.com",
                    event_type="identity.verification_code", locale="en", params=CODE)
                raise RuntimeError("the request failed after queueing the mail")
        runtime.committed()
        await runtime.notifications.settle()  # type: ignore[union-attr]
        await asyncio.sleep(0.2)
        assert read_spool(tmp_path / "mail") == [] and await rows_of(runtime.db) == []

        async with runtime.db.unit_of_work() as session:  # the same, committed, does go out
            await NotificationService(system_context(session)).send(
                user_id=new_id("usr"), channel="EMAIL", recipient="y@example.com",
                event_type="identity.verification_code", locale="en", params=CODE)
        runtime.committed()
        await eventually(lambda: _spooled(tmp_path / "mail", 1))
    finally:
        await runtime.stop()


async def _spooled(spool: Path, count: int) -> bool:
    return len(read_spool(spool)) == count


async def test_smtp_outage_keeps_mail_pending_until_the_server_is_back(database_url: str, tmp_path: Path) -> None:
    port = free_port()  # nothing listens here yet: SMTP is down
    settings = make_settings(database_url, smtp_host="127.0.0.1", smtp_port=port, mail_spool_dir=str(tmp_path / "spool"),
                             notification_retry_base_ms=100, notification_poll_ms=50)
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    async with app.app.router.lifespan_context(app.app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
            user = (await client.post("/v1/users", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
                "phone": "+49 30 901821", "email": "hans@example.de", "display_name": "Hans", "country": "DE",
                "password": "granite-meadow-falcon-7"})).json()
            sent = await client.post(f"/v1/users/{user['id']}/verifications", json={"channel": "EMAIL"})
            assert sent.status_code == 202  # the request does not depend on SMTP

            async def retried() -> bool:
                rows = await rows_of(runtime.db)
                return len(rows) == 1 and rows[0].attempts >= 2 and rows[0].status == "PENDING"
            await eventually(retried)
            assert (await rows_of(runtime.db))[0].last_error and handler.messages == []

            controller.start()  # SMTP is back
            try:
                async def delivered() -> bool:
                    return bool(handler.messages) and (await rows_of(runtime.db))[0].status == "SENT"
                await eventually(delivered)
                assert len(handler.messages) == 1 and handler.messages[0]["To"] == "hans@example.de"
                code = next(w.rstrip(".") for w in handler.messages[0].get_content().split()
                            if w.rstrip(".").isdigit() and len(w.rstrip(".")) == 6)
                ok = await client.post(f"/v1/users/{user['id']}/verifications/confirm",
                                       json={"channel": "EMAIL", "code": code})
                assert ok.status_code == 200 and ok.json()["email_verified"] is True
            finally:
                controller.stop()


async def test_gives_up_after_max_attempts(database_url: str, clock: Clock) -> None:
    db = Database(database_url)
    down = Mailer(sender="DARCA <no-reply@darca.test>", smtp_host="127.0.0.1", smtp_port=free_port())
    dispatcher = NotificationDispatcher(db, down, max_attempts=3, retry_base=timedelta(milliseconds=10))
    try:
        async with db.unit_of_work() as session:
            await NotificationService(system_context(session)).send(
                user_id=new_id("usr"), channel="EMAIL", recipient="z@example.com",
                event_type="identity.verification_code", locale="en", params=CODE)
        for _ in range(50):
            await dispatcher.dispatch_once()
            rows = await rows_of(db)
            if rows[0].status != "PENDING":
                break
            clock.advance(timedelta(milliseconds=100))  # past the back-off (at most 40 ms here)
        assert rows[0].status == "FAILED" and rows[0].attempts == 3 and rows[0].next_attempt_at is None
        assert await dispatcher.dispatch_once() == 0  # nothing due any more
        assert dispatcher.backoff(1) == timedelta(milliseconds=10) and dispatcher.backoff(3) == timedelta(milliseconds=40)
    finally:
        await db.dispose()


async def test_sms_is_recorded_and_marked_sent(database_url: str, tmp_path: Path) -> None:
    db = Database(database_url)
    dispatcher = NotificationDispatcher(db, Mailer(sender="DARCA <no-reply@darca.test>", spool_dir=tmp_path))
    try:
        async with db.unit_of_work() as session:
            await NotificationService(system_context(session)).send(
                user_id=new_id("usr"), channel="SMS", recipient="+442079460099",
                event_type="identity.verification_code", locale="en", params=CODE)
        assert [r.status for r in await rows_of(db, "SMS")] == ["PENDING"]
        assert await dispatcher.dispatch_once() == 1
        sms = (await rows_of(db, "SMS"))[0]
        assert sms.status == "SENT" and sms.sent_at is not None and "424242" in sms.body
    finally:
        await db.dispose()


async def test_several_dispatchers_send_each_message_once(database_url: str, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    dbs = [Database(database_url) for _ in range(3)]
    dispatchers = [NotificationDispatcher(db, Mailer(sender="DARCA <no-reply@darca.test>", spool_dir=spool),
                                          batch_size=5) for db in dbs]
    try:
        async with dbs[0].unit_of_work() as session:
            service = NotificationService(system_context(session))
            for i in range(30):
                await service.send(user_id=new_id("usr"), channel="EMAIL", recipient=f"u{i}@example.com",
                                   event_type="identity.verification_code", locale="en", params=CODE)
        for _ in range(40):
            await asyncio.gather(*(d.dispatch_once() for d in dispatchers))
            if await dispatchers[0].due() == 0:
                break
        mail = read_spool(spool)
        assert len(mail) == 30 and len({m["To"] for m in mail}) == 30  # each exactly once
        async with dbs[0].unit_of_work() as session:
            statuses = (await session.execute(select(NotificationRow.status, func.count()).where(
                NotificationRow.channel == "EMAIL").group_by(NotificationRow.status))).all()
        assert dict(statuses) == {"SENT": 30}  # type: ignore[arg-type]
    finally:
        for db in dbs:
            await db.dispose()


async def test_settle_waits_for_a_pass_that_claims_the_last_row_meanwhile(database_url: str, tmp_path: Path) -> None:
    """`settle` (tests and the CLI wait on it) asks the database what is due; a pass may claim the
    last row during that question, and is then still delivering when the answer is 'nothing'."""
    settings = make_settings(database_url, mail_spool_dir=str(tmp_path / "mail"))
    runtime = build_runtime(settings)
    await runtime.start(grpc=False)
    dispatcher = runtime.notifications
    assert dispatcher is not None
    try:
        sending = asyncio.Event()
        send = dispatcher.mailer.send

        async def slow_send(*args: object) -> None:
            sending.set()
            await asyncio.sleep(0.3)  # still delivering when `due` already answers 0
            await send(*args)  # type: ignore[arg-type]

        dispatcher.mailer.send = slow_send  # type: ignore[method-assign]
        due = dispatcher.due

        async def due_while_a_pass_claims() -> int:
            runtime.committed()
            await sending.wait()  # the pass has claimed the row (its lease: not due) and is sending
            return await due()

        dispatcher.due = due_while_a_pass_claims  # type: ignore[method-assign]
        async with runtime.db.unit_of_work() as session:
            await NotificationService(system_context(session)).send(
                user_id=new_id("usr"), channel="EMAIL", recipient="late@example.com",
                event_type="identity.verification_code", locale="en", params=CODE)
        await dispatcher.settle()
        assert [m["To"] for m in read_spool(tmp_path / "mail")] == ["late@example.com"]
    finally:
        await runtime.stop()
