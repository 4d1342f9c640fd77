"""The customer journey through the Python SDK (`darca_sdk`) alone, one function per step.

`run(base_url, read_code)` is what test_journeys.py calls against a live server; `python journey.py BASE_URL`
runs it by hand, asking for each verification code on the terminal. `read_code(channel, recipient)` stands in
for the sandbox's message API until it exists (then it becomes one SDK call).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from darca_sdk import AuthenticatedClient, Client
from darca_sdk.api.assets import get_asset, list_assets
from darca_sdk.api.identity import (
    confirm_user_verification,
    create_session,
    register_user,
    revoke_all_sessions,
    start_user_verification,
)
from darca_sdk.api.ledger import create_sandbox_top_up, get_ledger_balance, list_ledger_accounts, list_ledger_entries
from darca_sdk.models import (
    Asset,
    CountryCode,
    LedgerAccount,
    LedgerBalance,
    LedgerEntry,
    LedgerTransaction,
    Money,
    PasswordLogin,
    Problem,
    SandboxTopUpCreate,
    TokenPair,
    User,
    UserRegistration,
    VerificationChannel,
    VerificationConfirmation,
    VerificationRequest,
)
from darca_sdk.problem_codes import KnownProblemCode
from darca_sdk.types import UNSET, Unset

PASSWORD = "amber-quarry-lantern-71"
CodeReader = Callable[[str, str], str]  # (EMAIL | SMS, recipient) -> the code last sent there
T = TypeVar("T")
Item_co = TypeVar("Item_co", covariant=True)


class ProblemError(Exception):
    """The API answered with a problem; `code` is its stable machine code."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.detail or problem.title}")
        self.problem = problem
        self.code = problem.code


def ok(result: T | Problem | None) -> T:
    """The response model, or the problem raised."""
    if isinstance(result, Problem):
        raise ProblemError(result)
    assert result is not None, "the API answered with a status its contract does not list"
    return result


class CursorPage(Protocol[Item_co]):
    @property
    def data(self) -> list[Item_co]: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> str | Unset: ...


def paginate(fetch: Callable[[str | Unset], CursorPage[T] | Problem | None]) -> Iterator[T]:
    """Every item of a cursor-paginated list, following `next_cursor`."""
    cursor: str | Unset = UNSET
    while True:
        page = ok(fetch(cursor))
        yield from page.data
        if not page.has_more or isinstance(page.next_cursor, Unset):
            return
        cursor = page.next_cursor


def register(api: Client, email: str, phone: str) -> User:
    body = UserRegistration(phone=phone, email=email, display_name="Journey Person", country=CountryCode.GB,
                            password=PASSWORD)
    return ok(register_user.sync(client=api, body=body, idempotency_key=str(uuid.uuid4())))


def verify(api: Client, user: User, channel: VerificationChannel, recipient: str, read_code: CodeReader) -> User:
    ok(start_user_verification.sync(user.id, client=api, body=VerificationRequest(channel=channel)))
    code = read_code(str(channel), recipient)  # the verification channel is the notification channel
    return ok(confirm_user_verification.sync(user.id, client=api,
                                             body=VerificationConfirmation(channel=channel, code=code)))


def refused_with_wrong_password(api: Client, email: str) -> KnownProblemCode:
    try:
        ok(create_session.sync(client=api, body=PasswordLogin(identifier=email, password=PASSWORD + "-wrong")))
    except ProblemError as refused:
        if refused.code == "INVALID_CREDENTIALS":
            return "INVALID_CREDENTIALS"
        raise
    raise AssertionError("a wrong password was accepted")


def log_in(api: Client, email: str) -> TokenPair:
    return ok(create_session.sync(client=api, body=PasswordLogin(identifier=email, password=PASSWORD)))


def assets(api: AuthenticatedClient) -> list[Asset]:
    return list(paginate(lambda cursor: list_assets.sync(client=api, limit=2, cursor=cursor)))  # follows cursors


def accounts(api: AuthenticatedClient) -> list[LedgerAccount]:
    return list(paginate(lambda cursor: list_ledger_accounts.sync(client=api, limit=50, cursor=cursor)))


def whole_units(api: AuthenticatedClient, asset: str, units: int) -> str:
    scale = ok(get_asset.sync(asset, client=api)).scale
    return f"{units}.{'0' * scale}" if scale else str(units)  # amounts carry exactly the asset's scale


def top_up(api: AuthenticatedClient, account: LedgerAccount, amount: str) -> LedgerTransaction:
    body = SandboxTopUpCreate(account_id=account.id, amount=Money(amount=amount, asset=account.asset))
    return ok(create_sandbox_top_up.sync(client=api, body=body, idempotency_key=str(uuid.uuid4())))


def balance(api: AuthenticatedClient, account: LedgerAccount) -> LedgerBalance:
    return ok(get_ledger_balance.sync(account.id, client=api))


def history(api: AuthenticatedClient, account: LedgerAccount) -> list[LedgerEntry]:
    return list(paginate(lambda cursor: list_ledger_entries.sync(account.id, client=api, limit=50, cursor=cursor)))


def log_out(api: AuthenticatedClient) -> None:
    response = revoke_all_sessions.sync_detailed(client=api)  # 204: no body to parse
    if isinstance(response.parsed, Problem):
        raise ProblemError(response.parsed)


def run(base_url: str, read_code: CodeReader) -> dict[str, Any]:
    tag = f"{int(time.time() * 1000)}{random.randrange(1000)}"
    email, phone = f"py-journey-{tag}@example.com", f"+4420794620{tag[-2:]}"
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    registered = register(anonymous, email, phone)
    verify(anonymous, registered, VerificationChannel.EMAIL, email, read_code)
    active = verify(anonymous, registered, VerificationChannel.SMS, registered.phone, read_code)
    refusal = refused_with_wrong_password(anonymous, email)
    tokens = log_in(anonymous, email)
    api = AuthenticatedClient(base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True)
    wallets = accounts(api)
    funded = None
    if wallets:  # a customer has wallets once the API opens them; until then there is nothing to top up
        wallet = next((account for account in wallets if account.asset == "EUR"), wallets[0])
        amount = whole_units(api, wallet.asset, 25)
        top_up(api, wallet, amount)
        funded = {"amount": amount, "balance": balance(api, wallet).available.amount, "entries": len(history(api, wallet))}
    asset_codes = [asset.code for asset in assets(api)]
    log_out(api)
    return {"user_id": registered.id, "registered_status": str(registered.status), "status": str(active.status),
            "refusal": refusal, "token_type": str(tokens.token_type), "assets": asset_codes,
            "accounts": len(wallets), "funded": funded, "logged_out": True}


if __name__ == "__main__":
    print(run(sys.argv[1], lambda channel, recipient: input(f"{channel} code sent to {recipient}: ").strip()))
