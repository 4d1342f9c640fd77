"""Money as integers of the asset's minor unit; decimal strings only at the edges.

Parsing is textual, so no binary fraction can ever creep in: "12.50" at scale 2 is 1250.
"""

from __future__ import annotations

import re

from core.platform.problems import FieldProblem, ProblemError

_DECIMAL = re.compile(r"^(?P<sign>-?)(?P<whole>0|[1-9][0-9]*)(?:\.(?P<frac>[0-9]+))?$")
MAX_DIGITS = 38
MAX_AMOUNT = 10**MAX_DIGITS - 1  # the largest magnitude the NUMERIC(38,0) amount columns hold


def amount_problem(field: str, code: str, message: str) -> ProblemError:
    return ProblemError(422, code, "Invalid amount", message, [FieldProblem(field, code, message)])


def parse_amount(text: str, scale: int, *, field: str = "amount", allow_zero: bool = False) -> int:
    """A positive decimal string written at exactly `scale` decimals, as minor units."""
    match = _DECIMAL.match(text) if isinstance(text, str) else None
    if match is None:
        raise amount_problem(field, "AMOUNT_INVALID", f"{text!r} is not a decimal amount such as \"12.50\".")
    if match["sign"]:
        raise amount_problem(field, "AMOUNT_NEGATIVE", "The amount must be positive; the direction says which way it moves.")
    frac = match["frac"] or ""
    if len(frac) > scale:
        raise amount_problem(field, "AMOUNT_TOO_PRECISE",
                             f"The asset has {scale} decimal place(s); {text} has {len(frac)}.")
    if scale and len(frac) != scale:
        raise amount_problem(field, "AMOUNT_SCALE_MISMATCH",
                             f"Write the amount with exactly {scale} decimal place(s), such as {format_amount(0, scale)}.")
    digits = match["whole"] + frac
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise amount_problem(field, "AMOUNT_TOO_LARGE", "The amount exceeds 38 significant digits.")
    value = int(digits)
    if value == 0 and not allow_zero:
        raise amount_problem(field, "AMOUNT_NOT_POSITIVE", "The amount must be greater than zero.")
    return value


def format_amount(minor: int, scale: int) -> str:
    """Minor units as a decimal string with exactly `scale` decimals ("-0.05", "1000")."""
    if type(minor) is not int:
        raise TypeError("amounts are int minor units")
    sign = "-" if minor < 0 else ""
    digits = str(abs(minor)).rjust(scale + 1, "0")
    if scale == 0:
        return sign + digits
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"
