from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Money")


@_attrs_define
class Money:
    """An amount of an asset; the amount is never negative.

    Attributes:
        amount (str): A non-negative decimal amount as a string, written with exactly the asset's scale (`"12.50"` for
            EUR, `"1000"` for JPY). Never a JSON number.
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

        money = cls(
            amount=amount,
            asset=asset,
        )

        return money
