"""The contract's CountryCode enum and the server's country list are the same list."""

from __future__ import annotations

from core.platform.countries import COUNTRIES
from generated.openapi.models import CountryCode


def test_the_contract_lists_exactly_the_countries_the_server_accepts() -> None:
    assert {code.value for code in CountryCode} == COUNTRIES
    assert len(COUNTRIES) == 249 and {"GB", "NO", "AQ"} <= COUNTRIES and "AA" not in COUNTRIES
