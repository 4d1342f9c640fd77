from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sandbox_message import SandboxMessage


T = TypeVar("T", bound="SandboxMessagePage")


@_attrs_define
class SandboxMessagePage:
    """
    Attributes:
        has_more (bool): Whether more items follow this page.
        data (list[SandboxMessage]):
        next_cursor (str | Unset): Opaque cursor for the next page; present only when `has_more` is true.
    """

    has_more: bool
    data: list[SandboxMessage]
    next_cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_more = self.has_more

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "has_more": has_more,
                "data": data,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sandbox_message import SandboxMessage  # noqa: PLC0415

        d = dict(src_dict)
        has_more = d.pop("has_more")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = SandboxMessage.from_dict(data_item_data)

            data.append(data_item)

        next_cursor = d.pop("next_cursor", UNSET)

        sandbox_message_page = cls(
            has_more=has_more,
            data=data,
            next_cursor=next_cursor,
        )

        sandbox_message_page.additional_properties = d
        return sandbox_message_page

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
