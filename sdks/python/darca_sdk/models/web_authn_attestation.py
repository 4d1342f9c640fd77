from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.web_authn_authenticator_attachment import WebAuthnAuthenticatorAttachment
from ..models.web_authn_credential_type import WebAuthnCredentialType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.web_authn_attestation_response import WebAuthnAttestationResponse
    from ..models.web_authn_client_extension_results import WebAuthnClientExtensionResults


T = TypeVar("T", bound="WebAuthnAttestation")


@_attrs_define
class WebAuthnAttestation:
    """A new credential from `navigator.credentials.create()` as JSON (`RegistrationResponseJSON` of WebAuthn Level 3, what
    `credential.toJSON()` returns): binary members are base64url strings.

        Attributes:
            id (str): base64url credential id.
            raw_id (str): base64url credential id.
            type_ (WebAuthnCredentialType):
            response (WebAuthnAttestationResponse): `AuthenticatorAttestationResponseJSON`.
            authenticator_attachment (WebAuthnAuthenticatorAttachment | Unset):
            client_extension_results (WebAuthnClientExtensionResults | Unset): Outputs of client extensions; DARCA requests
                none, so only the outputs browsers add on their own are accepted (and not evaluated).
    """

    id: str
    raw_id: str
    type_: WebAuthnCredentialType
    response: WebAuthnAttestationResponse
    authenticator_attachment: WebAuthnAuthenticatorAttachment | Unset = UNSET
    client_extension_results: WebAuthnClientExtensionResults | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        raw_id = self.raw_id

        type_ = self.type_.value

        response = self.response.to_dict()

        authenticator_attachment: str | Unset = UNSET
        if not isinstance(self.authenticator_attachment, Unset):
            authenticator_attachment = self.authenticator_attachment.value

        client_extension_results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.client_extension_results, Unset):
            client_extension_results = self.client_extension_results.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "rawId": raw_id,
                "type": type_,
                "response": response,
            }
        )
        if authenticator_attachment is not UNSET:
            field_dict["authenticatorAttachment"] = authenticator_attachment
        if client_extension_results is not UNSET:
            field_dict["clientExtensionResults"] = client_extension_results

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_attestation_response import WebAuthnAttestationResponse  # noqa: PLC0415
        from ..models.web_authn_client_extension_results import WebAuthnClientExtensionResults  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        raw_id = d.pop("rawId")

        type_ = WebAuthnCredentialType(d.pop("type"))

        response = WebAuthnAttestationResponse.from_dict(d.pop("response"))

        _authenticator_attachment = d.pop("authenticatorAttachment", UNSET)
        authenticator_attachment: WebAuthnAuthenticatorAttachment | Unset
        if isinstance(_authenticator_attachment, Unset):
            authenticator_attachment = UNSET
        else:
            authenticator_attachment = WebAuthnAuthenticatorAttachment(_authenticator_attachment)

        _client_extension_results = d.pop("clientExtensionResults", UNSET)
        client_extension_results: WebAuthnClientExtensionResults | Unset
        if isinstance(_client_extension_results, Unset):
            client_extension_results = UNSET
        else:
            client_extension_results = WebAuthnClientExtensionResults.from_dict(_client_extension_results)

        web_authn_attestation = cls(
            id=id,
            raw_id=raw_id,
            type_=type_,
            response=response,
            authenticator_attachment=authenticator_attachment,
            client_extension_results=client_extension_results,
        )

        return web_authn_attestation
