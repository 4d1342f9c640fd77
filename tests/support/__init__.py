"""Test support code shared across suites."""
