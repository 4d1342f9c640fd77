from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.verification_channel import VerificationChannel

T = TypeVar("T", bound="VerificationChallenge")


@_attrs_define
class VerificationChallenge:
    """
    Attributes:
        channel (VerificationChannel): How the code travels, in the words of the notification channels: `SMS` to the
            phone number, `EMAIL` to the email address.
        expires_at (datetime.datetime):
        resend_available_at (datetime.datetime):
        attempts_left (int):
    """

    channel: VerificationChannel
    expires_at: datetime.datetime
    resend_available_at: datetime.datetime
    attempts_left: int

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        expires_at = self.expires_at.isoformat()

        resend_available_at = self.resend_available_at.isoformat()

        attempts_left = self.attempts_left

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "expires_at": expires_at,
                "resend_available_at": resend_available_at,
                "attempts_left": attempts_left,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = VerificationChannel(d.pop("channel"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        resend_available_at = datetime.datetime.fromisoformat(d.pop("resend_available_at"))

        attempts_left = d.pop("attempts_left")

        verification_challenge = cls(
            channel=channel,
            expires_at=expires_at,
            resend_available_at=resend_available_at,
            attempts_left=attempts_left,
        )

        return verification_challenge
