"""ISO 3166-1 alpha-2 country codes, from pycountry: the same list as the contract's `CountryCode` enum."""

from __future__ import annotations

import pycountry

COUNTRIES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)
