"""A revocation subscriber that writes down what reached it (for the revocation feed's tests)."""

from __future__ import annotations

from collections.abc import Iterable


class Recorder:
    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.cleared = 0

    def revoked(self, subjects: Iterable[str]) -> None:
        self.subjects.extend(subjects)

    def clear(self) -> None:
        self.cleared += 1
