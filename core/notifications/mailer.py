"""Email delivery: SMTP through aiosmtplib when a host is configured, else one .eml file per
message in a local spool (the embedded default), which `python -m app mail` lists."""

from __future__ import annotations

import asyncio
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import aiosmtplib

from core.platform.ids import new_id
from core.platform.settings import Settings


class _HeaderClasses(HeaderRegistry):
    """The standard registry makes a new class for every header it sets or parses (`type(...)` in
    `HeaderRegistry.__getitem__`): a dozen classes per message, each a reference cycle that only the
    collector frees. These are made once per kind of header."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[type, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        kind = self.registry.get(name.lower(), self.default_class)
        made = self._made.get(kind)
        if made is None:
            made = self._made[kind] = type("_" + kind.__name__, (kind, self.base_class), {})
        return made


POLICY = default_policy.clone(header_factory=_HeaderClasses())


class Mailer:
    def __init__(self, *, sender: str, smtp_host: str | None = None, smtp_port: int = 25,
                 spool_dir: Path | None = None) -> None:
        self.sender = sender
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self.spool_dir = spool_dir or Path("var/mail")

    def message(self, to: str, subject: str, body: str) -> EmailMessage:
        msg = EmailMessage(policy=POLICY)
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(body)
        return msg

    async def send(self, to: str, subject: str, body: str) -> None:
        msg = self.message(to, subject, body)
        if self.smtp_host:
            await aiosmtplib.send(msg, hostname=self.smtp_host, port=self.smtp_port, timeout=10)
            return
        await asyncio.to_thread(self._spool, msg)

    def _spool(self, msg: EmailMessage) -> None:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        # ids sort by time, so the spool lists in sending order
        (self.spool_dir / f"{new_id('msg')}.eml").write_bytes(bytes(msg))


def read_spool(spool_dir: Path) -> list[EmailMessage]:
    """Messages of the spool, oldest first."""
    if not spool_dir.is_dir():
        return []
    parser = BytesParser(policy=POLICY)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(spool_dir.glob("*.eml"))]  # type: ignore[misc]


def mailer_for(settings: Settings) -> Mailer:
    return Mailer(sender=settings.mail_from, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port,
                  spool_dir=Path(settings.mail_spool_dir))
