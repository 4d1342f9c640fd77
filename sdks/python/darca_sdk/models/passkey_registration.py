from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.web_authn_attestation import WebAuthnAttestation


T = TypeVar("T", bound="PasskeyRegistration")


@_attrs_define
class PasskeyRegistration:
    """
    Attributes:
        name (str): A name others see: no control, format or bidi characters (Unicode Cc, Cf, U+2028, U+2029), no
            leading or trailing white space.
        credential (WebAuthnAttestation): A new credential from `navigator.credentials.create()` as JSON
            (`RegistrationResponseJSON` of WebAuthn Level 3, what `credential.toJSON()` returns): binary members are
            base64url strings.
    """

    name: str
    credential: WebAuthnAttestation

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        credential = self.credential.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "credential": credential,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_attestation import WebAuthnAttestation  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        credential = WebAuthnAttestation.from_dict(d.pop("credential"))

        passkey_registration = cls(
            name=name,
            credential=credential,
        )

        return passkey_registration
