from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebAuthnCredentialResponse")


@_attrs_define
class WebAuthnCredentialResponse:
    """`AuthenticatorAttestationResponseJSON` (registration: `clientDataJSON`, `attestationObject`, `transports`, ...) or
    `AuthenticatorAssertionResponseJSON` (login: `clientDataJSON`, `authenticatorData`, `signature`, `userHandle`).

        Attributes:
            client_data_json (str):
            attestation_object (str | Unset):
            authenticator_data (str | Unset):
            signature (str | Unset):
            user_handle (str | Unset):
            public_key (str | Unset):
            public_key_algorithm (int | Unset):
            transports (list[str] | Unset):
    """

    client_data_json: str
    attestation_object: str | Unset = UNSET
    authenticator_data: str | Unset = UNSET
    signature: str | Unset = UNSET
    user_handle: str | Unset = UNSET
    public_key: str | Unset = UNSET
    public_key_algorithm: int | Unset = UNSET
    transports: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_data_json = self.client_data_json

        attestation_object = self.attestation_object

        authenticator_data = self.authenticator_data

        signature = self.signature

        user_handle = self.user_handle

        public_key = self.public_key

        public_key_algorithm = self.public_key_algorithm

        transports: list[str] | Unset = UNSET
        if not isinstance(self.transports, Unset):
            transports = self.transports

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "clientDataJSON": client_data_json,
            }
        )
        if attestation_object is not UNSET:
            field_dict["attestationObject"] = attestation_object
        if authenticator_data is not UNSET:
            field_dict["authenticatorData"] = authenticator_data
        if signature is not UNSET:
            field_dict["signature"] = signature
        if user_handle is not UNSET:
            field_dict["userHandle"] = user_handle
        if public_key is not UNSET:
            field_dict["publicKey"] = public_key
        if public_key_algorithm is not UNSET:
            field_dict["publicKeyAlgorithm"] = public_key_algorithm
        if transports is not UNSET:
            field_dict["transports"] = transports

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_data_json = d.pop("clientDataJSON")

        attestation_object = d.pop("attestationObject", UNSET)

        authenticator_data = d.pop("authenticatorData", UNSET)

        signature = d.pop("signature", UNSET)

        user_handle = d.pop("userHandle", UNSET)

        public_key = d.pop("publicKey", UNSET)

        public_key_algorithm = d.pop("publicKeyAlgorithm", UNSET)

        transports = cast(list[str], d.pop("transports", UNSET))

        web_authn_credential_response = cls(
            client_data_json=client_data_json,
            attestation_object=attestation_object,
            authenticator_data=authenticator_data,
            signature=signature,
            user_handle=user_handle,
            public_key=public_key,
            public_key_algorithm=public_key_algorithm,
            transports=transports,
        )

        return web_authn_credential_response
