"""DARCA ID: users, registration and verification (more of issue 3 builds on this)."""
