from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.totp_state import TotpState
from ..types import UNSET, Unset

T = TypeVar("T", bound="TotpStatus")


@_attrs_define
class TotpStatus:
    """
    Attributes:
        state (TotpState):
        enabled (bool):
        recovery_codes_left (int):
        enabled_at (datetime.datetime | Unset):
    """

    state: TotpState
    enabled: bool
    recovery_codes_left: int
    enabled_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        enabled = self.enabled

        recovery_codes_left = self.recovery_codes_left

        enabled_at: str | Unset = UNSET
        if not isinstance(self.enabled_at, Unset):
            enabled_at = self.enabled_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "state": state,
                "enabled": enabled,
                "recovery_codes_left": recovery_codes_left,
            }
        )
        if enabled_at is not UNSET:
            field_dict["enabled_at"] = enabled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = TotpState(d.pop("state"))

        enabled = d.pop("enabled")

        recovery_codes_left = d.pop("recovery_codes_left")

        _enabled_at = d.pop("enabled_at", UNSET)
        enabled_at: datetime.datetime | Unset
        if isinstance(_enabled_at, Unset):
            enabled_at = UNSET
        else:
            enabled_at = datetime.datetime.fromisoformat(_enabled_at)

        totp_status = cls(
            state=state,
            enabled=enabled,
            recovery_codes_left=recovery_codes_left,
            enabled_at=enabled_at,
        )

        return totp_status
