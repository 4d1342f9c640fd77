"""Message templates per event type and locale (en, ru); unknown locales fall back to English."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "identity.verification_code": {
        "en": ("Your DARCA verification code",
               ("Your DARCA verification code is $code. It expires in $minutes minutes. "
                "If you did not ask for it, ignore this message.")),
        "ru": ("Код подтверждения DARCA",
               ("Ваш код подтверждения DARCA: $code. Он действует $minutes минут. "
                "Если вы его не запрашивали, просто проигнорируйте это сообщение.")),
    },
}

LOCALES = ("en", "ru")


def render(event_type: str, locale: str, params: dict[str, object]) -> Rendered:
    by_locale = _TEMPLATES[event_type]
    subject, body = by_locale.get(locale) or by_locale["en"]
    values = {k: str(v) for k, v in params.items()}
    return Rendered(Template(subject).substitute(values), Template(body).substitute(values))
