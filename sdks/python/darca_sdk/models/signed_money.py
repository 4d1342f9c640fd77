from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SignedMoney")


@_attrs_define
class SignedMoney:
    """A balance of an asset; the same shape as `Money`, the amount may be negative.

    Attributes:
        amount (str): A decimal string at the asset's exact scale that may be negative (a balance of an account allowed
            below zero). Never a JSON number.
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
    """

    amount: str
    asset: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        asset = d.pop("asset")

        signed_money = cls(
            amount=amount,
            asset=asset,
        )

        return signed_money
