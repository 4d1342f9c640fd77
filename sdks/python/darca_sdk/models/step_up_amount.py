from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StepUpAmount")


@_attrs_define
class StepUpAmount:
    """
    Attributes:
        value (str): A non-negative decimal amount as a string, written with exactly the asset's scale (`"12.50"` for
            EUR, `"1000"` for JPY). Never a JSON number.
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
    """

    value: str
    asset: str

    def to_dict(self) -> dict[str, Any]:
        value = self.value

        asset = self.asset

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "value": value,
                "asset": asset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value = d.pop("value")

        asset = d.pop("asset")

        step_up_amount = cls(
            value=value,
            asset=asset,
        )

        return step_up_amount
