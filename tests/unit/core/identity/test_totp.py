"""TOTP enrolment and verification (reuse refused, drift window, bad input) and single-use recovery codes."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from core.identity.mfa.totp import (
    TotpRejected,
    consume_recovery_code,
    enrol,
    hash_recovery_code,
    new_recovery_codes,
    verify,
)

NOW = datetime(2026, 11, 28, 12, 0, 10, tzinfo=UTC)


def test_enrolment_gives_an_otpauth_uri_for_the_secret() -> None:
    e = enrol("ada@example.com")
    uri = urlparse(e.uri)
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    query = parse_qs(uri.query)
    assert query["secret"] == [e.secret] and query["issuer"] == ["DARCA"]
    assert enrol("ada@example.com").secret != e.secret


def test_a_code_is_accepted_once_and_then_refused_as_reused() -> None:
    secret = enrol("a").secret
    code = pyotp.TOTP(secret).at(NOW)
    step = verify(secret, code, None, NOW)
    with pytest.raises(TotpRejected) as again:
        verify(secret, code, step, NOW)
    assert again.value.reason == "REUSED"


def test_an_older_code_in_the_window_is_refused_after_a_newer_one() -> None:
    secret = enrol("a").secret
    totp = pyotp.TOTP(secret)
    newer = verify(secret, totp.at(NOW), None, NOW)
    with pytest.raises(TotpRejected) as older:
        verify(secret, totp.at(NOW - timedelta(seconds=30)), newer, NOW)
    assert older.value.reason == "REUSED"


def test_drift_window_and_outside_it() -> None:
    secret = enrol("a").secret
    totp = pyotp.TOTP(secret)
    assert verify(secret, totp.at(NOW - timedelta(seconds=30)), None, NOW) == totp.timecode(NOW) - 1
    assert verify(secret, " ".join([totp.at(NOW)[:3], totp.at(NOW)[3:]]), None, NOW) == totp.timecode(NOW)
    with pytest.raises(TotpRejected) as late:
        verify(secret, totp.at(NOW - timedelta(seconds=90)), None, NOW)
    assert late.value.reason == "INVALID"


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_are_invalid(bad: str) -> None:
    with pytest.raises(TotpRejected) as rejected:
        verify(enrol("a").secret, bad, None, NOW)
    assert rejected.value.reason == "INVALID"


def test_recovery_codes_are_single_use_and_tolerate_case_and_separators() -> None:
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    hashes = [hash_recovery_code(c) for c in codes]
    remaining = consume_recovery_code(codes[3].upper().replace("-", " "), hashes)
    assert len(remaining) == 9 and hash_recovery_code(codes[3]) not in remaining
    with pytest.raises(TotpRejected):
        consume_recovery_code(codes[3], remaining)
    with pytest.raises(TotpRejected):
        consume_recovery_code("aaaa-aaaa-aa", remaining)
