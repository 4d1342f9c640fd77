"""Which assets a person's default wallets are in, from configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.assets.api import default_asset_codes
from core.platform.settings import Settings
from core.wallets.api import default_wallet_assets


def test_unset_means_every_default_asset_of_the_registry() -> None:
    assert default_wallet_assets(None) == tuple(default_asset_codes())
    assert default_wallet_assets(Settings().default_wallet_assets) == tuple(default_asset_codes())
    assert "EUR" in default_asset_codes() and "BTC" in default_asset_codes()


def test_configured_codes_in_order_without_repeats_and_empty_for_none() -> None:
    assert default_wallet_assets(Settings(default_wallet_assets=" EUR, USDT ,EUR").default_wallet_assets) == \
        ("EUR", "USDT")
    assert default_wallet_assets(Settings(default_wallet_assets="").default_wallet_assets) == ()


def test_a_code_that_is_no_asset_code_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="not an asset code"):
        Settings(default_wallet_assets="EUR,eur")
