"""Money parsing and formatting at the asset's exact scale, and no binary fractions anywhere in the ledger."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.platform.money import format_amount, parse_amount
from core.platform.problems import ProblemError

LEDGER = Path(__file__).resolve().parents[4] / "core" / "ledger"


@pytest.mark.parametrize(("text", "scale", "minor"), [
    ("12.50", 2, 1250), ("0.01", 2, 1), ("1000", 0, 1000), ("0.00000001", 8, 1),
    ("123456789.123456789012345678", 18, 123456789123456789012345678),
])
def test_parse(text: str, scale: int, minor: int) -> None:
    assert parse_amount(text, scale) == minor
    assert format_amount(minor, scale) == text


@pytest.mark.parametrize(("text", "scale", "code"), [
    ("1.005", 2, "AMOUNT_TOO_PRECISE"), ("1.5", 2, "AMOUNT_SCALE_MISMATCH"), ("1.0", 0, "AMOUNT_TOO_PRECISE"),
    ("-1.00", 2, "AMOUNT_NEGATIVE"), ("0.00", 2, "AMOUNT_NOT_POSITIVE"), ("1e3", 2, "AMOUNT_INVALID"),
    ("01.00", 2, "AMOUNT_INVALID"), (" 1.00", 2, "AMOUNT_INVALID"), ("1,00", 2, "AMOUNT_INVALID"),
    ("1" * 39, 0, "AMOUNT_TOO_LARGE"),
])
def test_refusals(text: str, scale: int, code: str) -> None:
    with pytest.raises(ProblemError) as refused:
        parse_amount(text, scale)
    assert refused.value.code == code and refused.value.errors[0].field == "amount"


def test_format_signed() -> None:
    assert format_amount(-5, 2) == "-0.05" and format_amount(0, 2) == "0.00" and format_amount(-7, 0) == "-7"


@given(st.integers(min_value=1, max_value=10**38 - 1), st.integers(min_value=0, max_value=18))
def test_round_trip(minor: int, scale: int) -> None:
    assert parse_amount(format_amount(minor, scale), scale) == minor


def test_no_binary_fractions_in_the_ledger() -> None:
    """Integer minor units end to end: no float type, float literal or rounding anywhere in core/ledger."""
    offenders = []
    for path in sorted(LEDGER.rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type == tokenize.NAME and token.string in {"float", "Float", "REAL", "DOUBLE", "round"}:
                    offenders.append(f"{path.name}:{token.start[0]}: {token.line.strip()}")
                if token.type == tokenize.NUMBER and re.search(r"[.eEjJ]", token.string) and not token.string.startswith("0x"):
                    offenders.append(f"{path.name}:{token.start[0]}: {token.line.strip()}")
    assert offenders == []
    assert len(list(LEDGER.rglob("*.py"))) >= 8
