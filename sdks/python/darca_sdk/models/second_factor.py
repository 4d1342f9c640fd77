from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SecondFactor")


@_attrs_define
class SecondFactor:
    """Exactly one of `totp_code` and `recovery_code`.

    Attributes:
        totp_code (str | Unset): The 6-digit code the authenticator app shows now.
        recovery_code (str | Unset): One of the recovery codes, such as `k7mq-9xrt-2p` (case, spaces and dashes do not
            matter).
    """

    totp_code: str | Unset = UNSET
    recovery_code: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        totp_code = self.totp_code

        recovery_code = self.recovery_code

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if totp_code is not UNSET:
            field_dict["totp_code"] = totp_code
        if recovery_code is not UNSET:
            field_dict["recovery_code"] = recovery_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        totp_code = d.pop("totp_code", UNSET)

        recovery_code = d.pop("recovery_code", UNSET)

        second_factor = cls(
            totp_code=totp_code,
            recovery_code=recovery_code,
        )

        return second_factor
