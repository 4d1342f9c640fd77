from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.web_authn_assertion import WebAuthnAssertion


T = TypeVar("T", bound="PasskeyLogin")


@_attrs_define
class PasskeyLogin:
    """
    Attributes:
        challenge_id (str):
        credential (WebAuthnAssertion): An assertion from `navigator.credentials.get()` as JSON
            (`AuthenticationResponseJSON` of WebAuthn Level 3, what `credential.toJSON()` returns): binary members are
            base64url strings. The one shape of a passkey proof, for logging in and for verifying a step-up.
    """

    challenge_id: str
    credential: WebAuthnAssertion

    def to_dict(self) -> dict[str, Any]:
        challenge_id = self.challenge_id

        credential = self.credential.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge_id": challenge_id,
                "credential": credential,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_assertion import WebAuthnAssertion  # noqa: PLC0415

        d = dict(src_dict)
        challenge_id = d.pop("challenge_id")

        credential = WebAuthnAssertion.from_dict(d.pop("credential"))

        passkey_login = cls(
            challenge_id=challenge_id,
            credential=credential,
        )

        return passkey_login
