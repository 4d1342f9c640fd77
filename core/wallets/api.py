"""The facade of wallets: the only module handlers and other core domains import from wallets.

A wallet is a ledger account of type CUSTOMER_WALLET, one per owner and asset; its balances, history
and statements are the ledger's. A person's default wallets open when they become ACTIVE (identity
calls `open_default_wallets` at that step, in the same unit of work); more are opened on request.
Who may open a company's wallet is the company policy's question, asked by the caller first.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.assets.api import default_asset_codes
from core.ledger.api import Account, Ledger
from core.platform.context import RequestContext
from core.platform.pagination import PageSlice

from . import errors
from .service import Owner, WalletService

__all__ = ["Owner", "WalletBook", "company_wallets", "default_wallet_assets", "my_wallets", "open_company_wallet",
           "open_default_wallets", "open_my_wallet"]


def default_wallet_assets(configured: str | None) -> tuple[str, ...]:
    """The assets of a person's default wallets: the configured codes (comma-separated; empty for none),
    or every asset of the default registry when nothing is configured."""
    if configured is None:
        return tuple(default_asset_codes())
    return tuple(c for c in configured.split(",") if c)


@dataclass(frozen=True)
class WalletBook:
    """What wallet operations need besides the request: the ledger, and the default wallets' assets."""

    ledger: Ledger
    default_assets: tuple[str, ...]


def _person(ctx: RequestContext) -> Owner:
    if ctx.principal.kind != "USER":
        raise errors.not_a_person()
    return Owner("PERSON", ctx.principal.id)


async def open_default_wallets(ctx: RequestContext, book: WalletBook, user_id: str) -> list[Account]:
    """Open the person's default wallets they do not have yet, in the caller's unit of work."""
    return await WalletService(ctx, book.ledger).open_defaults(Owner("PERSON", user_id), book.default_assets)


async def open_my_wallet(ctx: RequestContext, book: WalletBook, asset: str) -> Account:
    return await WalletService(ctx, book.ledger).open(_person(ctx), asset)


async def my_wallets(ctx: RequestContext, book: WalletBook, *, limit: int, cursor: str | None) -> PageSlice[Account]:
    return await WalletService(ctx, book.ledger).of(_person(ctx), limit=limit, cursor=cursor)


async def open_company_wallet(ctx: RequestContext, book: WalletBook, company_id: str, asset: str) -> Account:
    """A wallet of the company; the caller has asked the company policy (`wallet.open`) before."""
    return await WalletService(ctx, book.ledger).open(Owner("COMPANY", company_id), asset)


async def company_wallets(ctx: RequestContext, book: WalletBook, company_id: str, *, limit: int,
                          cursor: str | None) -> PageSlice[Account]:
    """The company's wallets; the caller has checked membership (`company.read`) before."""
    return await WalletService(ctx, book.ledger).of(Owner("COMPANY", company_id), limit=limit, cursor=cursor)
