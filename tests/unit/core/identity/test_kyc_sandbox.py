"""The sandbox KYC provider's documented rules and its delay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.identity.kyc.provider import CheckSubmission, Decision, UnknownReference
from core.identity.kyc.sandbox import SandboxKycProvider, age_on, sandbox_decision

TODAY = date(2026, 11, 29)


def submission(number: str, born: date = date(1990, 5, 17)) -> CheckSubmission:
    return CheckSubmission(check_id="kyc_x", target_level="BASIC", document_type="PASSPORT", document_number=number,
                           issuing_country="GB", first_name="Ada", last_name="Lovelace", date_of_birth=born)


@pytest.mark.parametrize(("number", "expected"), [
    ("X12340000", Decision("APPROVED")),
    ("X12341111", Decision("REJECTED", "DOCUMENT_EXPIRED")),
    ("X12342222", Decision("MANUAL_REVIEW", "DOCUMENT_UNCLEAR")),
    ("X12345678", Decision("APPROVED")),
    ("ab99991111", Decision("REJECTED", "DOCUMENT_EXPIRED")),
])
def test_document_number_decides(number: str, expected: Decision) -> None:
    assert sandbox_decision(submission(number), TODAY) == expected


def test_under_18_is_rejected_unless_a_test_number_says_otherwise() -> None:
    minor = date(2010, 1, 1)
    assert sandbox_decision(submission("X12345678", minor), TODAY) == Decision("REJECTED", "UNDERAGE")
    assert sandbox_decision(submission("X12340000", minor), TODAY) == Decision("APPROVED")


def test_age_counts_birthdays() -> None:
    assert age_on(date(2008, 11, 29), TODAY) == 18
    assert age_on(date(2008, 11, 30), TODAY) == 17


async def test_decision_is_released_only_after_the_delay() -> None:
    now = [datetime(2026, 11, 29, 12, 0, tzinfo=UTC)]
    provider = SandboxKycProvider(delay_ms=2000, clock=lambda: now[0])
    reference = await provider.submit(submission("X12341111"))
    assert "X1234" not in reference  # the document number never goes into the reference
    assert await provider.poll(reference) is None
    now[0] += timedelta(milliseconds=1999)
    assert await provider.poll(reference) is None
    now[0] += timedelta(milliseconds=1)
    assert await provider.poll(reference) == Decision("REJECTED", "DOCUMENT_EXPIRED")
    assert await provider.poll(reference) == Decision("REJECTED", "DOCUMENT_EXPIRED")  # repeatable


async def test_references_are_unique_and_foreign_ones_unknown() -> None:
    provider = SandboxKycProvider(delay_ms=0)
    first = await provider.submit(submission("X12340000"))
    second = await provider.submit(submission("X12340000"))
    assert first != second
    for bad in ("", "onfido:abc", "sbx:1:MAYBE::0", "sbx:1:APPROVED::soon"):
        with pytest.raises(UnknownReference):
            await provider.poll(bad)


def test_submission_repr_hides_personal_data() -> None:
    text = repr(submission("X12340000"))
    assert "X12340000" not in text and "Lovelace" not in text and "1990" not in text
