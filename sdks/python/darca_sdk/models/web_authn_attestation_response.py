from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebAuthnAttestationResponse")


@_attrs_define
class WebAuthnAttestationResponse:
    """`AuthenticatorAttestationResponseJSON`.

    Attributes:
        client_data_json (str):
        attestation_object (str):
        authenticator_data (str | Unset):
        public_key (str | Unset):
        public_key_algorithm (int | Unset):
        transports (list[str] | Unset):
    """

    client_data_json: str
    attestation_object: str
    authenticator_data: str | Unset = UNSET
    public_key: str | Unset = UNSET
    public_key_algorithm: int | Unset = UNSET
    transports: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_data_json = self.client_data_json

        attestation_object = self.attestation_object

        authenticator_data = self.authenticator_data

        public_key = self.public_key

        public_key_algorithm = self.public_key_algorithm

        transports: list[str] | Unset = UNSET
        if not isinstance(self.transports, Unset):
            transports = self.transports

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "clientDataJSON": client_data_json,
                "attestationObject": attestation_object,
            }
        )
        if authenticator_data is not UNSET:
            field_dict["authenticatorData"] = authenticator_data
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

        attestation_object = d.pop("attestationObject")

        authenticator_data = d.pop("authenticatorData", UNSET)

        public_key = d.pop("publicKey", UNSET)

        public_key_algorithm = d.pop("publicKeyAlgorithm", UNSET)

        transports = cast(list[str], d.pop("transports", UNSET))

        web_authn_attestation_response = cls(
            client_data_json=client_data_json,
            attestation_object=attestation_object,
            authenticator_data=authenticator_data,
            public_key=public_key,
            public_key_algorithm=public_key_algorithm,
            transports=transports,
        )

        return web_authn_attestation_response
