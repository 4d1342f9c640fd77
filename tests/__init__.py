"""The test suite. Cheap argon2id for it (production's cost is asserted in tests/unit/core/identity/
test_passwords.py), set here before anything reads the settings, so the servers it starts inherit it too."""

import os

os.environ.setdefault("DARCA_PASSWORD_HASH_PROFILE", "test")
