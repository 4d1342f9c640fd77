"""Decisions of wallets. A wallet is a ledger account of type CUSTOMER_WALLET; every ledger call of the
domain is in this module, on the request's unit of work (`Ledger.open_account`, `accounts_of`, given the request's context)."""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from core.assets.api import get_asset
from core.audit.api import AuditEntry, record
from core.ledger.api import Account, Ledger, NewAccount
from core.platform.context import RequestContext
from core.platform.pagination import PageSlice
from core.platform.problems import ProblemError
from generated.asyncapi import events

from . import errors

log = structlog.get_logger("darca.wallets")


@dataclass(frozen=True)
class Owner:
    type: str  # PERSON or COMPANY
    id: str


def client_id(owner: Owner, asset: str) -> str:
    """The ledger client id of an owner's wallet in an asset: one wallet per owner and asset."""
    return f"wallet:{owner.type}:{owner.id}:{asset}"


class WalletService:
    def __init__(self, ctx: RequestContext, ledger: Ledger) -> None:
        self.ctx = ctx
        self.ledger = ledger

    async def _usable_asset(self, code: str) -> None:
        try:
            asset = await get_asset(self.ctx, code)
        except ProblemError as problem:
            if problem.code == "ASSET_NOT_FOUND":
                raise errors.asset_not_found(code) from None
            raise
        if asset.status != "ACTIVE":
            raise errors.asset_disabled(code)

    async def _has(self, owner: Owner, asset: str) -> bool:
        page = await self.ledger.accounts_of(self.ctx, owner.type, owner.id, limit=1, asset=asset)
        return bool(page.items)

    async def open(self, owner: Owner, asset: str, *, reason: str = "REQUESTED") -> Account:
        """A new wallet; 422 for an unknown or disabled asset, 409 WALLET_ALREADY_EXISTS for a second one."""
        await self._usable_asset(asset)
        if await self._has(owner, asset):
            raise errors.wallet_exists(owner.id, asset)
        try:
            account = await self.ledger.open_account(
                self.ctx, NewAccount(client_id(owner, asset), owner.type, owner.id, asset))
        except ProblemError as problem:
            if problem.code == "ACCOUNT_ALREADY_EXISTS":  # a concurrent opening of the same wallet won
                raise errors.wallet_exists(owner.id, asset) from None
            raise
        self.ctx.events.wallet_opened(
            events.WalletOpenedData(account_id=account.id, owner_type=events.WalletOwnerType(owner.type),
                                    owner_id=owner.id, asset=asset, reason=events.WalletOpeningReason(reason)),
            subject=account.id, partition_key=owner.id)
        principal = self.ctx.principal
        await record(self.ctx.session, AuditEntry(
            actor_id=principal.id if principal.kind != "ANONYMOUS" else owner.id,
            actor_kind=principal.kind if principal.kind != "ANONYMOUS" else "USER", action="wallets.wallet.opened",
            result="SUCCESS", target=account.id, device_id=principal.device_id, client_ip=self.ctx.client_address,
            details={"owner_type": owner.type, "owner_id": owner.id, "asset": asset, "reason": reason}))
        return account

    async def open_defaults(self, owner: Owner, assets: tuple[str, ...]) -> list[Account]:
        """The wallets of `assets` the owner does not have yet. An asset the registry does not know or has
        disabled is skipped (and logged): a configuration slip must not stop a user's activation."""
        opened = []
        for asset in assets:
            if await self._has(owner, asset):
                continue
            try:
                opened.append(await self.open(owner, asset, reason="DEFAULT"))
            except ProblemError as problem:
                if problem.code not in ("ASSET_NOT_FOUND", "ASSET_DISABLED"):
                    raise
                log.warning("wallets.default_asset_skipped", asset=asset, owner_id=owner.id, reason=problem.code)
        return opened

    async def of(self, owner: Owner, *, limit: int, cursor: str | None) -> PageSlice[Account]:
        return await self.ledger.accounts_of(self.ctx, owner.type, owner.id, limit=limit, cursor=cursor)
