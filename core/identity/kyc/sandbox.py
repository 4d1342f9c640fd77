"""The sandbox KYC provider: decides by documented test document numbers, after a delay.

Rules (the end of the document number decides):
  ...0000 -> APPROVED
  ...1111 -> REJECTED, reason DOCUMENT_EXPIRED
  ...2222 -> MANUAL_REVIEW, reason DOCUMENT_UNCLEAR (an operator decides)
  anything else -> APPROVED, unless the person is under 18 (REJECTED, reason UNDERAGE)

The decision is taken at submission but only released by `poll` once the delay has passed, like
a real provider working in the background. The reference carries the decision and its release
time, so the sandbox keeps no state of its own: it survives restarts and several processes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from core.platform.clock import utcnow

from .provider import CheckSubmission, Decision, Outcome, UnknownReference

PREFIX = "sbx"
RULES: dict[str, Decision] = {
    "0000": Decision("APPROVED"),
    "1111": Decision("REJECTED", "DOCUMENT_EXPIRED"),
    "2222": Decision("MANUAL_REVIEW", "DOCUMENT_UNCLEAR"),
}
ADULT_AGE = 18


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def sandbox_decision(check: CheckSubmission, today: date) -> Decision:
    ruled = RULES.get(check.document_number.upper()[-4:])
    if ruled is not None:
        return ruled
    if age_on(check.date_of_birth, today) < ADULT_AGE:
        return Decision("REJECTED", "UNDERAGE")
    return Decision("APPROVED")


class SandboxKycProvider:
    name = "SANDBOX"

    def __init__(self, *, delay_ms: int = 2000, clock: Callable[[], datetime] = utcnow) -> None:
        self.delay = timedelta(milliseconds=delay_ms)
        self.clock = clock

    async def submit(self, check: CheckSubmission) -> str:
        now = self.clock()
        decision = sandbox_decision(check, now.date())
        ready_ms = int((now + self.delay).timestamp() * 1000)
        return f"{PREFIX}:{secrets.token_hex(8)}:{decision.outcome}:{decision.reason or ''}:{ready_ms}"

    async def poll(self, reference: str) -> Decision | None:
        try:
            prefix, _nonce, outcome, reason, ready_ms = reference.split(":")
            ready = int(ready_ms)
        except ValueError:
            raise UnknownReference(reference) from None
        if prefix != PREFIX or outcome not in ("APPROVED", "REJECTED", "MANUAL_REVIEW"):
            raise UnknownReference(reference)
        if self.clock().timestamp() * 1000 < ready:
            return None
        out: Outcome = outcome  # type: ignore[assignment]
        return Decision(out, reason or None)
