"""The test suite. Cheap argon2id for it (production's cost is asserted in tests/unit/core/identity/
test_passwords.py), set here because hashes are made when the platform is imported; servers it starts inherit it."""

import os

os.environ.setdefault("DARCA_PASSWORD_HASH_PROFILE", "test")
