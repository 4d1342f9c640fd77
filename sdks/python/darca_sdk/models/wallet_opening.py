from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WalletOpening")


@_attrs_define
class WalletOpening:
    """
    Attributes:
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
    """

    asset: str

    def to_dict(self) -> dict[str, Any]:
        asset = self.asset

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "asset": asset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset = d.pop("asset")

        wallet_opening = cls(
            asset=asset,
        )

        return wallet_opening
