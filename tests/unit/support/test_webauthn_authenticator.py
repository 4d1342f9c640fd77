"""The test authenticator's responses verify with py_webauthn, and its knobs break exactly what they say."""

from __future__ import annotations

import json

import pytest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse

from tests.support.webauthn_authenticator import SoftAuthenticator

RP, ORIGIN = "localhost", "http://localhost:8000"


def _register(auth: SoftAuthenticator, uv: bool = True):
    options = generate_registration_options(rp_id=RP, rp_name="DARCA", user_name="alice", user_id=b"usr_1")
    response = auth.create(json.loads(options_to_json(options)), uv=uv)
    return verify_registration_response(credential=response, expected_challenge=options.challenge,
                                        expected_rp_id=RP, expected_origin=ORIGIN)


def _authenticate(auth: SoftAuthenticator, public_key: bytes, current: int = 0, **knobs):
    options = generate_authentication_options(rp_id=RP)
    response = auth.get(json.loads(options_to_json(options)), **knobs)
    return verify_authentication_response(credential=response, expected_challenge=options.challenge,
                                          expected_rp_id=RP, expected_origin=ORIGIN,
                                          credential_public_key=public_key, credential_current_sign_count=current,
                                          require_user_verification=False)


def test_registration_and_assertions_verify() -> None:
    auth = SoftAuthenticator(backup_eligible=True, backed_up=True)
    registered = _register(auth)
    assert registered.credential_id == auth.credential_id and registered.fmt == "none" and registered.user_verified
    assert registered.credential_backed_up
    first = _authenticate(auth, registered.credential_public_key)
    assert first.new_sign_count == 1 and first.user_verified
    second = _authenticate(auth, registered.credential_public_key, current=1, uv=False)
    assert second.new_sign_count == 2 and not second.user_verified


@pytest.mark.parametrize("knobs", [{"tamper": True}, {"origin": "https://evil.example"}, {"rp_id": "evil.example"},
                                   {"up": False}])
def test_broken_assertions_are_refused(knobs: dict) -> None:
    auth = SoftAuthenticator()
    registered = _register(auth)
    with pytest.raises(InvalidAuthenticationResponse):
        _authenticate(auth, registered.credential_public_key, **knobs)


def test_a_counter_that_does_not_increase_is_refused() -> None:
    auth = SoftAuthenticator()
    registered = _register(auth)
    _authenticate(auth, registered.credential_public_key)
    with pytest.raises(InvalidAuthenticationResponse):
        _authenticate(auth, registered.credential_public_key, current=5, counter=5)
