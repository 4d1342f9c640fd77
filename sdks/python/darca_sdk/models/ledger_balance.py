from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LedgerBalance")


@_attrs_define
class LedgerBalance:
    """
    Attributes:
        account_id (str): Ledger account id.
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
        posted (str): Decimal string at the asset's exact scale; negative only for accounts allowed below zero.
        pending (str): A non-negative decimal amount as a string, written with exactly the asset's scale (`"12.50"` for
            EUR, `"1000"` for JPY). Never a JSON number.
        available (str): Decimal string at the asset's exact scale; negative only for accounts allowed below zero.
        version (int): Number of journal entries of the account (up to `as_of` when given).
        as_of (datetime.datetime | Unset):
    """

    account_id: str
    asset: str
    posted: str
    pending: str
    available: str
    version: int
    as_of: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        asset = self.asset

        posted = self.posted

        pending = self.pending

        available = self.available

        version = self.version

        as_of: str | Unset = UNSET
        if not isinstance(self.as_of, Unset):
            as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
                "asset": asset,
                "posted": posted,
                "pending": pending,
                "available": available,
                "version": version,
            }
        )
        if as_of is not UNSET:
            field_dict["as_of"] = as_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = d.pop("account_id")

        asset = d.pop("asset")

        posted = d.pop("posted")

        pending = d.pop("pending")

        available = d.pop("available")

        version = d.pop("version")

        _as_of = d.pop("as_of", UNSET)
        as_of: datetime.datetime | Unset
        if isinstance(_as_of, Unset):
            as_of = UNSET
        else:
            as_of = datetime.datetime.fromisoformat(_as_of)

        ledger_balance = cls(
            account_id=account_id,
            asset=asset,
            posted=posted,
            pending=pending,
            available=available,
            version=version,
            as_of=as_of,
        )

        return ledger_balance
