"""The identity platform of the integration tests; the `clock` the throttles read is the platform's (tests/conftest.py)."""

from __future__ import annotations

from tests.integration.core.identity.conftest import idp  # noqa: F401  (the fixture)
