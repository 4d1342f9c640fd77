"""Per-user channel preferences: category x channel switches over sensible defaults.

Only explicit choices are stored: a missing row means the default. SECURITY
messages always reach the user by email and in the app; those two switches cannot be turned off.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import utcnow
from core.platform.problems import FieldProblem, ProblemError

from .repository import NotificationRepository
from .tables import NotificationPreferenceRow
from .templates import CATEGORIES

CHANNELS = ("EMAIL", "SMS", "PUSH", "IN_APP")

DEFAULTS: dict[str, dict[str, bool]] = {
    "SECURITY": {"EMAIL": True, "SMS": True, "PUSH": True, "IN_APP": True},
    "ACCOUNT": {"EMAIL": True, "SMS": False, "PUSH": True, "IN_APP": True},
    "PAYMENTS": {"EMAIL": True, "SMS": False, "PUSH": True, "IN_APP": True},
    "MARKETING": {"EMAIL": False, "SMS": False, "PUSH": False, "IN_APP": False},  # opt-in only
}
LOCKED: dict[str, frozenset[str]] = {
    "SECURITY": frozenset({"EMAIL", "IN_APP"}),
}

Matrix = dict[str, dict[str, bool]]


def locked_channels(category: str) -> list[str]:
    return [c for c in CHANNELS if c in LOCKED.get(category, frozenset())]


def preference_locked(problems: list[FieldProblem]) -> ProblemError:
    return ProblemError(422, "NOTIFICATION_PREFERENCE_LOCKED", "Unprocessable request",
                        "Security notifications cannot be switched off on this channel.", problems)


class Preferences:
    def __init__(self, session: AsyncSession) -> None:
        self.repository = NotificationRepository(session)

    async def _rows(self, user_id: str) -> list[NotificationPreferenceRow]:
        return await self.repository.preferences(user_id)

    async def of(self, user_id: str) -> Matrix:
        """The effective switches of a user: defaults overlaid with the stored choices."""
        matrix = {category: dict(channels) for category, channels in DEFAULTS.items()}
        for row in await self._rows(user_id):
            if row.category in matrix and row.channel in matrix[row.category]:
                matrix[row.category][row.channel] = row.enabled
        for category, channels in LOCKED.items():
            for channel in channels:
                matrix[category][channel] = True
        return matrix

    async def allows(self, user_id: str, category: str, channel: str) -> bool:
        return (await self.of(user_id)).get(category, {}).get(channel, False)

    async def update(self, user_id: str, changes: list[tuple[str, str, bool]]) -> tuple[Matrix, Matrix]:
        """Applies (category, channel, enabled) changes; returns the matrix before and after.
        Switching off a locked channel is refused as a whole, nothing applied."""
        refused = [FieldProblem(f"body.categories.{category}.{channel.lower()}", "LOCKED",
                                f"{category} notifications always go out on {channel}.")
                   for category, channel, enabled in changes
                   if not enabled and channel in LOCKED.get(category, frozenset())]
        if refused:
            raise preference_locked(refused)
        before = await self.of(user_id)
        stored = {(r.category, r.channel): r for r in await self._rows(user_id)}
        now = utcnow()
        for category, channel, enabled in changes:
            if category not in CATEGORIES or channel not in CHANNELS:
                continue
            row = stored.get((category, channel))
            if row is None:
                row = NotificationPreferenceRow(user_id=user_id, category=category, channel=channel,
                                                enabled=enabled, updated_at=now)
                stored[(category, channel)] = row
            else:
                row.enabled = enabled
                row.updated_at = now
            self.repository.add(row)
        await self.repository.flush()
        return before, await self.of(user_id)
