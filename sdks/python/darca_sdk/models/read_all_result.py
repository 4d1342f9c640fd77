from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReadAllResult")


@_attrs_define
class ReadAllResult:
    """
    Attributes:
        marked (int): How many notifications were unread and are now read.
        unread_count (int):
    """

    marked: int
    unread_count: int

    def to_dict(self) -> dict[str, Any]:
        marked = self.marked

        unread_count = self.unread_count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "marked": marked,
                "unread_count": unread_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        marked = d.pop("marked")

        unread_count = d.pop("unread_count")

        read_all_result = cls(
            marked=marked,
            unread_count=unread_count,
        )

        return read_all_result
