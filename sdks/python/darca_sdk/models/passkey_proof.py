from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.web_authn_assertion import WebAuthnAssertion


T = TypeVar("T", bound="PasskeyProof")


@_attrs_define
class PasskeyProof:
    """A passkey assertion over this step-up's challenge (see `createStepUpPasskeyOptions`).

    Attributes:
        method (Literal['PASSKEY']):
        credential (WebAuthnAssertion): An assertion from `navigator.credentials.get()` as JSON
            (`AuthenticationResponseJSON` of WebAuthn Level 3, what `credential.toJSON()` returns): binary members are
            base64url strings. The one shape of a passkey proof, for logging in and for verifying a step-up.
    """

    method: Literal["PASSKEY"]
    credential: WebAuthnAssertion

    def to_dict(self) -> dict[str, Any]:
        method = self.method

        credential = self.credential.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "method": method,
                "credential": credential,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_assertion import WebAuthnAssertion  # noqa: PLC0415

        d = dict(src_dict)
        method = cast(Literal["PASSKEY"], d.pop("method"))
        if method != "PASSKEY":
            raise ValueError(f"method must match const 'PASSKEY', got '{method}'")

        credential = WebAuthnAssertion.from_dict(d.pop("credential"))

        passkey_proof = cls(
            method=method,
            credential=credential,
        )

        return passkey_proof
