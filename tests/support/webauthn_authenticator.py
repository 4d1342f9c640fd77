"""A software WebAuthn authenticator (EC P-256 / ES256) that answers real ceremonies in tests.

It produces what a browser returns from `navigator.credentials.create()` ("none" attestation,
authenticatorData with attested credential data and a COSE key) and `navigator.credentials.get()`
(an assertion signed over authenticatorData || SHA-256(clientDataJSON)), as WebAuthn JSON.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftAuthenticator:
    rp_id: str = "localhost"
    origin: str = "http://localhost:8000"
    aaguid: bytes = bytes(16)
    backup_eligible: bool = False
    backed_up: bool = False
    transports: tuple[str, ...] = ("internal",)
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    sign_count: int = 0
    user_handle: str | None = None  # base64url, remembered from the creation options

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        # COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _flags(self, *, up: bool, uv: bool, attested: bool) -> int:
        flags = (UP if up else 0) | (UV if uv else 0) | (AT if attested else 0)
        return flags | (BE if self.backup_eligible else 0) | (BS if self.backed_up else 0)

    def _authenticator_data(self, rp_id: str, flags: int, counter: int, attested: bytes = b"") -> bytes:
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + counter.to_bytes(4, "big") + attested

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def create(self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None,
               uv: bool = True) -> dict[str, Any]:
        """The RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON `options`."""
        self.user_handle = options["user"]["id"]
        client_data = self._client_data("webauthn.create", options["challenge"], origin or self.origin)
        attested = self.aaguid + len(self.credential_id).to_bytes(2, "big") + self.credential_id + self.cose_public_key()
        auth_data = self._authenticator_data(rp_id or options.get("rp", {}).get("id", self.rp_id),
                                             self._flags(up=True, uv=uv, attested=True), self.sign_count, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
            "response": {"clientDataJSON": b64url(client_data), "attestationObject": b64url(attestation),
                         "transports": list(self.transports)},
            "clientExtensionResults": {}, "authenticatorAttachment": "platform",
        }

    def get(self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None, uv: bool = True,
            up: bool = True, counter: int | None = None, tamper: bool = False) -> dict[str, Any]:
        """The AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON `options`.

        The counter goes up by one unless `counter` forces a value; `tamper` signs other bytes than
        the ones sent (a well-formed but wrong signature)."""
        if counter is None:
            self.sign_count += 1
            counter = self.sign_count
        client_data = self._client_data("webauthn.get", options["challenge"], origin or self.origin)
        auth_data = self._authenticator_data(rp_id or options.get("rpId", self.rp_id),
                                             self._flags(up=up, uv=uv, attested=False), counter)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed + (b"tampered" if tamper else b""), ec.ECDSA(hashes.SHA256()))
        response = {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature)}
        if self.user_handle is not None:
            response["userHandle"] = self.user_handle
        return {"id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
                "response": response, "clientExtensionResults": {}, "authenticatorAttachment": "platform"}
