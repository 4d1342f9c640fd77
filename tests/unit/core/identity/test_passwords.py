from argon2 import Type

from core.identity.passwords import HASH_PROFILES, hash_password, verify_password, weaknesses
from core.identity.users.codes import code_matches, hash_code, new_code
from core.platform.settings import Settings


def test_policy() -> None:
    ok = weaknesses("violet-harbour-lantern-42", email="alice@example.com", phone="+442079460018")
    assert ok == []
    assert "PASSWORD_TOO_SHORT" in weaknesses("Ab1!", email="a@b.co", phone="+442079460018")
    assert "PASSWORD_CONTAINS_IDENTIFIER" in weaknesses("xx-alice-xx-long-enough", email="alice@example.com",
                                                        phone="+442079460018")
    assert "PASSWORD_TOO_COMMON" in weaknesses("passwordpassword", email="a@b.co", phone="+442079460018")


def test_argon2id_round_trip() -> None:
    stored = hash_password("violet-harbour-lantern-42")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "violet-harbour-lantern-42")
    assert not verify_password(stored, "violet-harbour-lantern-43")
    assert not verify_password("garbage", "x")


def test_production_hashes_passwords_at_rfc_9106_cost() -> None:
    """The suite runs with the cheap test profile; production keeps argon2id at t=3, m=64 MiB, p=4."""
    assert Settings.model_fields["password_hash_profile"].default == "production"
    production = HASH_PROFILES["production"]
    assert (production.type, production.time_cost, production.memory_cost, production.parallelism) == \
        (Type.ID, 3, 65536, 4)
    assert (production.salt_len, production.hash_len) == (16, 32)


def test_codes_are_six_digits_and_salted() -> None:
    code = new_code()
    assert len(code) == 6 and code.isdigit()
    a, b = hash_code(code), hash_code(code)
    assert a != b and code_matches(a, code) and code_matches(b, code) and not code_matches(a, "abcdef")
