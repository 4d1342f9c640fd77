"""The customer journey through the Python SDK (`darca_sdk`) and the public API alone, one function per step.

`run(base_url)` is what test_journeys.py calls against a live SANDBOX server; `python journey.py BASE_URL`
runs it by hand. One-time codes are read back from the sandbox's messages (`GET /v1/sandbox/messages`), as
any automated client reads them.
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, TypeVar

from darca_sdk import AuthenticatedClient, Client
from darca_sdk.api.assets import list_assets
from darca_sdk.api.identity import (
    change_my_password,
    confirm_password_reset,
    confirm_user_verification,
    create_session,
    get_my_profile,
    register_user,
    request_password_reset,
    revoke_all_sessions,
    start_user_verification,
)
from darca_sdk.api.ledger import (
    create_sandbox_top_up,
    get_ledger_balance,
    get_ledger_statement,
    list_ledger_entries,
    list_wallets,
    open_wallet,
)
from darca_sdk.api.notifications import list_sandbox_messages
from darca_sdk.models import (
    Asset,
    AssetStatus,
    CountryCode,
    LedgerAccount,
    LedgerBalance,
    LedgerEntry,
    LedgerStatement,
    LedgerTransaction,
    Money,
    PasswordChange,
    PasswordLogin,
    PasswordResetAccepted,
    PasswordResetConfirmation,
    PasswordResetRequest,
    Problem,
    Profile,
    SandboxMessageChannel,
    SandboxTopUpCreate,
    StepUpRequiredProblem,
    TokenPair,
    User,
    UserRegistration,
    VerificationChannel,
    VerificationConfirmation,
    VerificationRequest,
    WalletOpening,
)
from darca_sdk.problem_codes import KnownProblemCode
from darca_sdk.types import UNSET, Response, Unset

PASSWORD, CHANGED_PASSWORD, RESET_PASSWORD = "amber-quarry-lantern-71", "copper-meadow-sailing-77", "violet-harbour-orchard-19"
CodeTemplate = Literal["identity.verification_code", "identity.password_reset_code"]  # messages that carry a code
AnyProblem = Problem | StepUpRequiredProblem  # what an operation answers with when it refuses
T = TypeVar("T")
Item_co = TypeVar("Item_co", covariant=True)


class ProblemError(Exception):
    """The API answered with a problem; `code` is its stable machine code."""

    def __init__(self, problem: AnyProblem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.detail or problem.title}")
        self.problem = problem
        self.code = problem.code


def ok(result: T | AnyProblem | None) -> T:
    """The response model, or the problem raised."""
    if isinstance(result, AnyProblem):
        raise ProblemError(result)
    assert result is not None, "the API answered with a status its contract does not list"
    return result


def done(response: Response[Any]) -> None:
    """An answer without a body (204), or the problem raised."""
    if isinstance(response.parsed, AnyProblem):
        raise ProblemError(response.parsed)
    assert response.status_code == 204, response.status_code


def refused(code: KnownProblemCode, call: Callable[[], object]) -> ProblemError:
    """The problem a call must fail with; any other outcome is raised."""
    try:
        call()
    except ProblemError as problem:
        if problem.code == code:
            return problem
        raise
    raise AssertionError(f"expected the problem {code}, the call succeeded")


def idempotency_key() -> str:
    """A fresh key for one operation; a retry of the same operation would send it again."""
    return str(uuid.uuid4())


class CursorPage(Protocol[Item_co]):
    @property
    def data(self) -> list[Item_co]: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> str | Unset: ...


def paginate(fetch: Callable[[str | Unset], CursorPage[T] | AnyProblem | None]) -> Iterator[T]:
    """Every item of a cursor-paginated list, following `next_cursor`."""
    cursor: str | Unset = UNSET
    while True:
        page = ok(fetch(cursor))
        yield from page.data
        if not page.has_more or isinstance(page.next_cursor, Unset):
            return
        cursor = page.next_cursor


class Person:
    def __init__(self, tag: str) -> None:
        self.email = f"py-journey-{tag}@example.com"
        self.phone = f"+1415555{random.randrange(100, 200):04d}"  # a sandbox phone number: 555-0100..0199 reach nobody
        self.device = f"py-journey-{tag}"  # one device throughout: the first one is the enrolment device


def register(api: Client, person: Person) -> User:
    body = UserRegistration(phone=person.phone, email=person.email, display_name="Journey Person",
                            country=CountryCode.GB, password=PASSWORD)
    return ok(register_user.sync(client=api, body=body, idempotency_key=idempotency_key()))


def log_in(api: Client, person: Person, password: str) -> TokenPair:
    return ok(create_session.sync(client=api, body=PasswordLogin(identifier=person.email, password=password),
                                  x_device_id=person.device, x_device_name="Journey laptop"))


def log_in_before_verifying(api: Client, person: Person) -> tuple[str, list[VerificationChannel]]:
    """The user id and the channels still to verify, from the VERIFICATION_PENDING problem."""
    pending = refused("VERIFICATION_PENDING", lambda: log_in(api, person, PASSWORD)).problem.additional_properties
    user_id, channels = pending.get("user_id"), pending.get("unverified_channels")
    if not isinstance(user_id, str) or not isinstance(channels, list):
        raise TypeError(f"VERIFICATION_PENDING without user_id and unverified_channels: {pending}")
    return user_id, [VerificationChannel(channel) for channel in channels]


def sandbox_code(api: Client, channel: SandboxMessageChannel, recipient: str, template: CodeTemplate) -> str:
    # newest first: the first message of the template is the one just sent
    messages = paginate(lambda cursor: list_sandbox_messages.sync(client=api, recipient=recipient, channel=channel,
                                                                  limit=5, cursor=cursor))
    for message in messages:
        if message.event_type == template and isinstance(message.code, str):
            return message.code
    raise AssertionError(f"no {template} {channel} to {recipient} in the sandbox")


def verify(api: Client, user_id: str, channel: VerificationChannel, recipient: str) -> User:
    ok(start_user_verification.sync(user_id, client=api, body=VerificationRequest(channel=channel)))
    # the verification channel is the message channel
    code = sandbox_code(api, SandboxMessageChannel(channel.value), recipient, "identity.verification_code")
    return ok(confirm_user_verification.sync(user_id, client=api,
                                             body=VerificationConfirmation(channel=channel, code=code)))


def profile(api: AuthenticatedClient) -> Profile:
    return ok(get_my_profile.sync(client=api))


def assets(api: AuthenticatedClient) -> list[Asset]:
    return list(paginate(lambda cursor: list_assets.sync(client=api, limit=2, cursor=cursor)))  # follows cursors


def wallets(api: AuthenticatedClient) -> list[LedgerAccount]:
    return list(paginate(lambda cursor: list_wallets.sync(client=api, limit=50, cursor=cursor)))


def asset_without_wallet(registry: list[Asset], held: list[LedgerAccount]) -> Asset:
    codes = {wallet.asset for wallet in held}
    for asset in registry:
        if asset.status == AssetStatus.ACTIVE and asset.code not in codes:
            return asset
    raise AssertionError("every active asset already has a wallet")


def open_another_wallet(api: AuthenticatedClient, asset: Asset) -> LedgerAccount:
    return ok(open_wallet.sync(client=api, body=WalletOpening(asset=asset.code), idempotency_key=idempotency_key()))


def whole_units(asset: Asset, units: int) -> str:
    return f"{units}.{'0' * asset.scale}" if asset.scale else str(units)  # amounts carry exactly the asset's scale


def top_up(api: AuthenticatedClient, wallet: LedgerAccount, amount: str) -> LedgerTransaction:
    body = SandboxTopUpCreate(account_id=wallet.id, amount=Money(amount=amount, asset=wallet.asset))
    return ok(create_sandbox_top_up.sync(client=api, body=body, idempotency_key=idempotency_key()))


def balance(api: AuthenticatedClient, wallet: LedgerAccount) -> LedgerBalance:
    return ok(get_ledger_balance.sync(wallet.id, client=api))


def history(api: AuthenticatedClient, wallet: LedgerAccount) -> list[LedgerEntry]:
    # one entry a page, so the iterator follows cursors
    return list(paginate(lambda cursor: list_ledger_entries.sync(wallet.id, client=api, limit=1, cursor=cursor)))


def statement(api: AuthenticatedClient, wallet: LedgerAccount, start: datetime, end: datetime) -> LedgerStatement:
    return ok(get_ledger_statement.sync(wallet.id, client=api, start=start, end=end, limit=50))


def change_password(api: AuthenticatedClient, current: str, new: str) -> None:
    # from the enrolment device: no step-up (a new, untrusted device would get STEP_UP_REQUIRED)
    done(change_my_password.sync_detailed(client=api, body=PasswordChange(current_password=current, new_password=new),
                                          idempotency_key=idempotency_key()))


def ask_for_password_reset(api: Client, person: Person) -> PasswordResetAccepted:
    return ok(request_password_reset.sync(client=api, body=PasswordResetRequest(email=person.email),
                                          idempotency_key=idempotency_key()))


def reset_password(api: Client, person: Person, new: str) -> None:
    code = sandbox_code(api, SandboxMessageChannel.EMAIL, person.email, "identity.password_reset_code")
    body = PasswordResetConfirmation(email=person.email, code=code, new_password=new)
    done(confirm_password_reset.sync_detailed(client=api, body=body, idempotency_key=idempotency_key()))


def log_out(api: AuthenticatedClient) -> None:
    done(revoke_all_sessions.sync_detailed(client=api))


def run(base_url: str) -> dict[str, Any]:
    person = Person(f"{int(time.time() * 1000)}{random.randrange(1000)}")
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)

    registered = register(anonymous, person)
    user_id, unverified = log_in_before_verifying(anonymous, person)
    verify(anonymous, user_id, VerificationChannel.EMAIL, person.email)
    active = verify(anonymous, user_id, VerificationChannel.SMS, registered.phone)

    tokens = log_in(anonymous, person, PASSWORD)
    api = AuthenticatedClient(base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True)
    me = profile(api)
    registry = assets(api)
    defaults = wallets(api)
    asset = asset_without_wallet(registry, defaults)
    opened = open_another_wallet(api, asset)
    held = wallets(api)

    start = datetime.now(UTC) - timedelta(minutes=1)
    amounts = [whole_units(asset, 25), whole_units(asset, 15)]
    for amount in amounts:
        top_up(api, opened, amount)
    end = datetime.now(UTC) + timedelta(minutes=1)
    funded, entries, period = balance(api, opened), history(api, opened), statement(api, opened, start, end)

    change_password(api, PASSWORD, CHANGED_PASSWORD)
    old_password = refused("INVALID_CREDENTIALS", lambda: log_in(anonymous, person, PASSWORD))
    reset = ask_for_password_reset(anonymous, person)
    reset_password(anonymous, person, RESET_PASSWORD)
    revoked = refused("UNAUTHENTICATED", lambda: profile(api))  # the reset ended every session
    again = log_in(anonymous, person, RESET_PASSWORD)
    session = AuthenticatedClient(base_url=base_url, token=again.access_token, raise_on_unexpected_status=True)
    reprofiled = profile(session)
    log_out(session)
    logged_out = refused("UNAUTHENTICATED", lambda: profile(session))

    return {
        "user_id": registered.id, "registered_status": str(registered.status),
        "pending": {"user_id": user_id, "unverified_channels": [str(channel) for channel in unverified]},
        "status": str(active.status),
        "profile": {"id": me.id, "email": me.email, "phone": me.phone, "status": str(me.status),
                    "email_verified": me.email_verified, "phone_verified": me.phone_verified},
        "assets": [item.code for item in registry],
        "default_wallets": [wallet.asset for wallet in defaults],
        "opened": {"asset": opened.asset, "type": str(opened.type_), "id": opened.id},
        "wallets": [wallet.asset for wallet in held],
        "funded": {
            "amounts": amounts, "balance": funded.available.amount,
            "history": [{"type": str(entry.type_), "direction": str(entry.direction), "amount": entry.amount.amount}
                        for entry in entries],
            "statement": {"opening": period.opening_balance.amount, "closing": period.closing_balance.amount,
                          "credits": period.total_credits.amount, "entries": len(period.entries)},
        },
        "old_password": old_password.code, "reset_channel": str(reset.channel), "revoked_by_reset": revoked.code,
        "relogin": {"token_type": str(again.token_type), "user_id": reprofiled.id}, "logged_out": logged_out.code,
    }


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"), indent=2))
