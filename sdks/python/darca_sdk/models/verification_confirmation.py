from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.verification_channel import VerificationChannel

T = TypeVar("T", bound="VerificationConfirmation")


@_attrs_define
class VerificationConfirmation:
    """
    Attributes:
        channel (VerificationChannel): How the code travels, in the words of the notification channels: `SMS` to the
            phone number, `EMAIL` to the email address.
        code (str):
    """

    channel: VerificationChannel
    code: str

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = VerificationChannel(d.pop("channel"))

        code = d.pop("code")

        verification_confirmation = cls(
            channel=channel,
            code=code,
        )

        return verification_confirmation
