"""Message templates per event type and locale (en, ru); unknown locales fall back to English.

Each template declares its category (which the user's channel preferences are kept by), whether
it is mandatory on the channel it is sent to (a verification code must reach the address being
verified whatever the preferences), and optionally a separate in-app text: codes never go into
the inbox, where anyone holding an access token could read them."""

from __future__ import annotations

import re
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
    "identity.registration_attempt": {
        "en": ("Someone tried to register with your address on DARCA",
               ("Someone just tried to open a DARCA account with this address, which already belongs to "
                "your account; no account was opened and no code was sent. If it was you, log in instead "
                "(or reset your password). If it was not, nothing needs doing.")),
        "ru": ("Кто-то пытался зарегистрироваться в DARCA с вашим адресом",
               ("Кто-то только что пытался открыть аккаунт DARCA с этим адресом, который уже принадлежит "
                "вашему аккаунту; аккаунт не открыт, код не отправлен. Если это были вы, просто войдите "
                "(или восстановите пароль). Если нет, ничего делать не нужно.")),
    },
    "identity.new_device": {
        "en": ("New sign-in to your DARCA account",
               ("Your DARCA account was just signed in to from a new device: $device_name, "
                "network address $client_address, at $time. If this was you, nothing needs doing. "
                "If it was not, revoke the device in your device list and change your password now.")),
        "ru": ("Новый вход в ваш аккаунт DARCA",
               ("В ваш аккаунт DARCA только что вошли с нового устройства: $device_name, "
                "сетевой адрес $client_address, время $time. Если это были вы, ничего делать не нужно. "
                "Если нет, отзовите устройство в списке устройств и сразу смените пароль.")),
    },
    "identity.kyc_status_changed": {
        "en": ("Your DARCA identity check: $status",
               ("Your identity check is now $status (reason: $reason). "
                "Your verification level is $level.")),
        "ru": ("Проверка личности DARCA: $status",
               ("Статус вашей проверки личности: $status (причина: $reason). "
                "Ваш уровень верификации: $level.")),
    },
    "identity.password_changed": {
        "en": ("Your DARCA password was changed",
               ("The password of your DARCA account was just changed, and your other sessions were ended. "
                "If this was not you, reset your password now and review your devices.")),
        "ru": ("Пароль DARCA изменён",
               ("Пароль вашего аккаунта DARCA только что изменён, остальные сеансы завершены. "
                "Если это были не вы, сразу восстановите пароль и проверьте список устройств.")),
    },
    "identity.password_reset_code": {
        "en": ("Your DARCA password reset code",
               ("Your DARCA password reset code is $code. It expires in $minutes minutes. "
                "If you did not ask for it, ignore this message: your password stays as it is.")),
        "ru": ("Код восстановления пароля DARCA",
               ("Ваш код восстановления пароля DARCA: $code. Он действует $minutes минут. "
                "Если вы его не запрашивали, просто проигнорируйте это сообщение: пароль не изменится.")),
    },
    "identity.password_reset": {
        "en": ("Your DARCA password was reset",
               ("The password of your DARCA account was just reset with a code sent to this address, and "
                "every session was ended. If this was not you, reset it again now and contact support.")),
        "ru": ("Пароль DARCA восстановлен",
               ("Пароль вашего аккаунта DARCA только что восстановлен по коду, отправленному на этот адрес, "
                "все сеансы завершены. Если это были не вы, сразу восстановите его снова и обратитесь в поддержку.")),
    },
    "identity.company_invitation": {
        "en": ("You are invited to $company on DARCA",
               ("You are invited to join $company on DARCA as $role. Open DARCA to accept or decline; "
                "the invitation expires in $days days. If you do not know this company, decline it.")),
        "ru": ("Приглашение в компанию $company в DARCA",
               ("Вас приглашают в компанию $company в DARCA с ролью $role. Откройте DARCA, чтобы принять "
                "или отклонить приглашение; оно действует $days дней. Если вы не знаете эту компанию, отклоните его.")),
    },
}

LOCALES = ("en", "ru")
CATEGORIES = ("SECURITY", "ACCOUNT", "PAYMENTS", "MARKETING")

# event type -> category; undeclared identity.* events are SECURITY, anything else ACCOUNT
_CATEGORIES: dict[str, str] = {
    "identity.verification_code": "SECURITY",
    "identity.kyc_status_changed": "ACCOUNT",
}
# sent on the caller's channel regardless of preferences
_MANDATORY: frozenset[str] = frozenset({"identity.verification_code", "identity.registration_attempt",
                                        "identity.password_changed", "identity.password_reset_code",
                                        "identity.password_reset"})
# in-app title and body, where they must differ from the message itself
_INBOX: dict[str, dict[str, tuple[str, str]]] = {
    "identity.verification_code": {
        "en": ("Verification code sent",
               ("We sent you a DARCA verification code; it expires in $minutes minutes. "
                "If you did not ask for it, change your password.")),
        "ru": ("Код подтверждения отправлен",
               ("Мы отправили вам код подтверждения DARCA; он действует $minutes минут. "
                "Если вы его не запрашивали, смените пароль.")),
    },
    "identity.password_reset_code": {
        "en": ("Password reset code sent",
               ("We emailed you a DARCA password reset code; it expires in $minutes minutes. "
                "If you did not ask for it, ignore it: your password stays as it is.")),
        "ru": ("Код восстановления пароля отправлен",
               ("Мы отправили вам по почте код восстановления пароля DARCA; он действует $minutes минут. "
                "Если вы его не запрашивали, проигнорируйте его: пароль не изменится.")),
    },
}


# templates whose message carries a one-time code ($code: six digits), for the sandbox's message view
_CODES: frozenset[str] = frozenset({"identity.verification_code", "identity.password_reset_code"})
_CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")


def code_in(event_type: str, body: str) -> str | None:
    """The one-time code a rendered message of `event_type` carries, if it is a template with one."""
    if event_type not in _CODES:
        return None
    found = _CODE.search(body)
    return found.group(1) if found else None


def category_of(event_type: str) -> str:
    declared = _CATEGORIES.get(event_type)
    if declared is not None:
        return declared
    return "SECURITY" if event_type.startswith("identity.") else "ACCOUNT"


def is_mandatory(event_type: str) -> bool:
    return event_type in _MANDATORY


def render_inbox(event_type: str, locale: str, params: dict[str, object]) -> Rendered:
    """Title and body of the in-app inbox item."""
    by_locale = _INBOX.get(event_type)
    if by_locale is None:
        return render(event_type, locale, params)
    title, body = by_locale.get(locale) or by_locale["en"]
    values = {k: str(v) for k, v in params.items()}
    return Rendered(Template(title).safe_substitute(values), Template(body).safe_substitute(values))


def render(event_type: str, locale: str, params: dict[str, object]) -> Rendered:
    by_locale = _TEMPLATES[event_type]
    subject, body = by_locale.get(locale) or by_locale["en"]
    values = {k: str(v) for k, v in params.items()}
    return Rendered(Template(subject).substitute(values), Template(body).substitute(values))
