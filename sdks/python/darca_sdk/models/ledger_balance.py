from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.signed_money import SignedMoney


T = TypeVar("T", bound="LedgerBalance")


@_attrs_define
class LedgerBalance:
    """Balances of one account, each a Money of the account's asset: `posted` (the journal's sum, negative only for an
    account allowed below zero), `pending` (held by pending holds) and `available` (posted minus pending).

        Attributes:
            account_id (str): Ledger account id.
            posted (SignedMoney): A balance of an asset; the same shape as `Money`, the amount may be negative.
            pending (Money): An amount of an asset; the amount is never negative.
            available (SignedMoney): A balance of an asset; the same shape as `Money`, the amount may be negative.
            version (int): Number of journal entries of the account (up to `as_of` when given).
            as_of (datetime.datetime | Unset):
    """

    account_id: str
    posted: SignedMoney
    pending: Money
    available: SignedMoney
    version: int
    as_of: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        posted = self.posted.to_dict()

        pending = self.pending.to_dict()

        available = self.available.to_dict()

        version = self.version

        as_of: str | Unset = UNSET
        if not isinstance(self.as_of, Unset):
            as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
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
        from ..models.money import Money  # noqa: PLC0415
        from ..models.signed_money import SignedMoney  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        posted = SignedMoney.from_dict(d.pop("posted"))

        pending = Money.from_dict(d.pop("pending"))

        available = SignedMoney.from_dict(d.pop("available"))

        version = d.pop("version")

        _as_of = d.pop("as_of", UNSET)
        as_of: datetime.datetime | Unset
        if isinstance(_as_of, Unset):
            as_of = UNSET
        else:
            as_of = datetime.datetime.fromisoformat(_as_of)

        ledger_balance = cls(
            account_id=account_id,
            posted=posted,
            pending=pending,
            available=available,
            version=version,
            as_of=as_of,
        )

        return ledger_balance
