"""Email leaves through a real SMTP server (aiosmtpd on a free local port), or lands in the spool."""

from __future__ import annotations

import socket
import uuid
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from typer.testing import CliRunner

from core.notifications.mailer import Mailer, read_spool
from core.notifications.templates import render
from tests.conftest import make_settings


class Collect(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[EmailMessage] = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.messages.append(BytesParser(policy=default_policy).parsebytes(message.as_bytes()))  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


async def test_mail_goes_over_smtp_when_a_host_is_set(smtp_server) -> None:
    controller, handler = smtp_server
    mailer = Mailer(sender="DARCA <no-reply@darca.test>", smtp_host="127.0.0.1", smtp_port=controller.port)
    await mailer.send("alice@example.com", "Hello", "Your code is 123456.")
    assert len(handler.messages) == 1
    got = handler.messages[0]
    assert got["To"] == "alice@example.com" and got["Subject"] == "Hello"
    assert "123456" in got.get_content()


async def test_registration_code_arrives_at_the_smtp_server(smtp_server, database_url: str, tmp_path: Path) -> None:
    import httpx

    from app.main import create_app
    from app.runtime import build_runtime

    controller, handler = smtp_server
    settings = make_settings(database_url, smtp_host="127.0.0.1", smtp_port=controller.port,
                             mail_spool_dir=str(tmp_path / "spool"))
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    async with app.app.router.lifespan_context(app.app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
            user = (await client.post("/v1/users", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
                "phone": "+49 30 901820", "email": "bob@example.de", "display_name": "Bob", "country": "DE",
                "password": "granite-meadow-falcon-7"})).json()
            sent = await client.post(f"/v1/users/{user['id']}/verifications", json={"channel": "EMAIL"})
            assert sent.status_code == 202
            await runtime.notifications.settle()  # mail leaves after commit, from the dispatcher
            code = next(w.rstrip(".") for w in handler.messages[-1].get_content().split() if w.rstrip(".").isdigit())
            ok = await client.post(f"/v1/users/{user['id']}/verifications/confirm",
                                   json={"channel": "EMAIL", "code": code})
            assert ok.status_code == 200 and ok.json()["email_verified"] is True
    assert handler.messages[-1]["To"] == "bob@example.de"
    assert read_spool(tmp_path / "spool") == []  # SMTP configured: nothing spooled


async def test_spool_and_the_mail_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mailer = Mailer(sender="DARCA <no-reply@darca.test>", spool_dir=tmp_path)
    await mailer.send("a@example.com", "First", "one")
    await mailer.send("b@example.com", "Second", "two")
    assert [m["Subject"] for m in read_spool(tmp_path)] == ["First", "Second"]

    from app.cli import cli
    from core.platform.settings import get_settings

    monkeypatch.setenv("DARCA_MAIL_SPOOL_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["mail"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0
    assert "To: b@example.com" in result.output and "Subject: First" in result.output


def test_templates_per_locale_with_english_fallback() -> None:
    en = render("identity.verification_code", "en", {"code": "111222", "minutes": 10})
    ru = render("identity.verification_code", "ru", {"code": "111222", "minutes": 10})
    xx = render("identity.verification_code", "de", {"code": "111222", "minutes": 10})
    assert "111222" in en.body and "111222" in ru.body and ru.subject != en.subject
    assert xx == en
