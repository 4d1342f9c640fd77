from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PasskeyAuthenticationStart")


@_attrs_define
class PasskeyAuthenticationStart:
    """
    Attributes:
        identifier (str | Unset): Email or phone number; omit for a discoverable passkey.
    """

    identifier: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identifier = self.identifier

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if identifier is not UNSET:
            field_dict["identifier"] = identifier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        identifier = d.pop("identifier", UNSET)

        passkey_authentication_start = cls(
            identifier=identifier,
        )

        return passkey_authentication_start
