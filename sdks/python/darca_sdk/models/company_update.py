from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CompanyUpdate")


@_attrs_define
class CompanyUpdate:
    """
    Attributes:
        legal_name (str): A longer name others see (a company's legal name): the same characters as `HumanName`.
    """

    legal_name: str

    def to_dict(self) -> dict[str, Any]:
        legal_name = self.legal_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "legal_name": legal_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_name = d.pop("legal_name")

        company_update = cls(
            legal_name=legal_name,
        )

        return company_update
