from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.web_authn_options import WebAuthnOptions


T = TypeVar("T", bound="PasskeyAuthenticationOptions")


@_attrs_define
class PasskeyAuthenticationOptions:
    """
    Attributes:
        challenge_id (str):
        options (WebAuthnOptions): WebAuthn options as JSON (`PublicKeyCredentialCreationOptionsJSON` or
            `PublicKeyCredentialRequestOptionsJSON`): binary members are base64url strings.
        expires_at (datetime.datetime):
    """

    challenge_id: str
    options: WebAuthnOptions
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        challenge_id = self.challenge_id

        options = self.options.to_dict()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge_id": challenge_id,
                "options": options,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_options import WebAuthnOptions  # noqa: PLC0415

        d = dict(src_dict)
        challenge_id = d.pop("challenge_id")

        options = WebAuthnOptions.from_dict(d.pop("options"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        passkey_authentication_options = cls(
            challenge_id=challenge_id,
            options=options,
            expires_at=expires_at,
        )

        return passkey_authentication_options
