"""What the platform needs from a KYC provider: take a check, and later tell its decision.

Providers decide asynchronously: `submit` hands the check over and returns the provider's
reference; `poll` returns the decision once there is one, else None. `poll` must be safe to
repeat (the worker re-polls a check whose decision it could not commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

Outcome = Literal["APPROVED", "REJECTED", "MANUAL_REVIEW"]


@dataclass(frozen=True)
class CheckSubmission:
    check_id: str
    target_level: str
    document_type: str
    document_number: str
    issuing_country: str
    first_name: str
    last_name: str
    date_of_birth: date

    def __repr__(self) -> str:  # keep personal data out of logs and tracebacks
        return f"CheckSubmission(check_id={self.check_id!r}, target_level={self.target_level!r})"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str | None = None


class UnknownReference(Exception):
    """The provider does not know this reference."""


class KycProvider(Protocol):
    name: str

    async def submit(self, check: CheckSubmission) -> str:
        """Hand the check to the provider; returns the provider's reference."""
        ...

    async def poll(self, reference: str) -> Decision | None:
        """The decision on a submitted check, or None while it is still being checked."""
        ...
