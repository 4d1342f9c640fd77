from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.totp_state import TotpState

T = TypeVar("T", bound="TotpEnrolment")


@_attrs_define
class TotpEnrolment:
    """
    Attributes:
        state (TotpState):
        secret (str): Base32 secret, for typing into the authenticator app by hand.
        otpauth_uri (str): `otpauth://totp/…` URI to show as a QR code.
    """

    state: TotpState
    secret: str
    otpauth_uri: str

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        secret = self.secret

        otpauth_uri = self.otpauth_uri

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "state": state,
                "secret": secret,
                "otpauth_uri": otpauth_uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = TotpState(d.pop("state"))

        secret = d.pop("secret")

        otpauth_uri = d.pop("otpauth_uri")

        totp_enrolment = cls(
            state=state,
            secret=secret,
            otpauth_uri=otpauth_uri,
        )

        return totp_enrolment
