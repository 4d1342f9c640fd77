from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.web_authn_options import WebAuthnOptions


T = TypeVar("T", bound="PasskeyRegistrationOptions")


@_attrs_define
class PasskeyRegistrationOptions:
    """
    Attributes:
        options (WebAuthnOptions): WebAuthn options as JSON (`PublicKeyCredentialCreationOptionsJSON` or
            `PublicKeyCredentialRequestOptionsJSON`): binary members are base64url strings.
        expires_at (datetime.datetime): When the challenge stops being accepted.
    """

    options: WebAuthnOptions
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        options = self.options.to_dict()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "options": options,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_options import WebAuthnOptions  # noqa: PLC0415

        d = dict(src_dict)
        options = WebAuthnOptions.from_dict(d.pop("options"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        passkey_registration_options = cls(
            options=options,
            expires_at=expires_at,
        )

        return passkey_registration_options
