from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_entry import LedgerEntry
    from ..models.money import Money
    from ..models.signed_money import SignedMoney


T = TypeVar("T", bound="LedgerStatement")


@_attrs_define
class LedgerStatement:
    """
    Attributes:
        account_id (str): Ledger account id.
        start (datetime.datetime):
        end (datetime.datetime):
        opening_balance (SignedMoney): A balance of an asset; the same shape as `Money`, the amount may be negative.
        closing_balance (SignedMoney): A balance of an asset; the same shape as `Money`, the amount may be negative.
        total_debits (Money): An amount of an asset; the amount is never negative.
        total_credits (Money): An amount of an asset; the amount is never negative.
        entries (list[LedgerEntry]):
        has_more (bool):
        next_cursor (str | Unset):
    """

    account_id: str
    start: datetime.datetime
    end: datetime.datetime
    opening_balance: SignedMoney
    closing_balance: SignedMoney
    total_debits: Money
    total_credits: Money
    entries: list[LedgerEntry]
    has_more: bool
    next_cursor: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        start = self.start.isoformat()

        end = self.end.isoformat()

        opening_balance = self.opening_balance.to_dict()

        closing_balance = self.closing_balance.to_dict()

        total_debits = self.total_debits.to_dict()

        total_credits = self.total_credits.to_dict()

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        has_more = self.has_more

        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
                "start": start,
                "end": end,
                "opening_balance": opening_balance,
                "closing_balance": closing_balance,
                "total_debits": total_debits,
                "total_credits": total_credits,
                "entries": entries,
                "has_more": has_more,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_entry import LedgerEntry  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.signed_money import SignedMoney  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        opening_balance = SignedMoney.from_dict(d.pop("opening_balance"))

        closing_balance = SignedMoney.from_dict(d.pop("closing_balance"))

        total_debits = Money.from_dict(d.pop("total_debits"))

        total_credits = Money.from_dict(d.pop("total_credits"))

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LedgerEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        has_more = d.pop("has_more")

        next_cursor = d.pop("next_cursor", UNSET)

        ledger_statement = cls(
            account_id=account_id,
            start=start,
            end=end,
            opening_balance=opening_balance,
            closing_balance=closing_balance,
            total_debits=total_debits,
            total_credits=total_credits,
            entries=entries,
            has_more=has_more,
            next_cursor=next_cursor,
        )

        return ledger_statement
