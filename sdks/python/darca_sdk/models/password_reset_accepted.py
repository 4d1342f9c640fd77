from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.password_reset_channel import PasswordResetChannel

T = TypeVar("T", bound="PasswordResetAccepted")


@_attrs_define
class PasswordResetAccepted:
    """
    Attributes:
        channel (PasswordResetChannel): Where reset codes go (email only).
        expires_in (int): Seconds a code sent now stays valid.
    """

    channel: PasswordResetChannel
    expires_in: int

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        expires_in = self.expires_in

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "expires_in": expires_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = PasswordResetChannel(d.pop("channel"))

        expires_in = d.pop("expires_in")

        password_reset_accepted = cls(
            channel=channel,
            expires_in=expires_in,
        )

        return password_reset_accepted
