from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_entry import LedgerEntry


T = TypeVar("T", bound="LedgerStatement")


@_attrs_define
class LedgerStatement:
    """
    Attributes:
        account_id (str): Ledger account id.
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
        start (datetime.datetime):
        end (datetime.datetime):
        opening_balance (str): Decimal string at the asset's exact scale; negative only for accounts allowed below zero.
        closing_balance (str): Decimal string at the asset's exact scale; negative only for accounts allowed below zero.
        total_debits (str): A non-negative decimal amount as a string, written with exactly the asset's scale (`"12.50"`
            for EUR, `"1000"` for JPY). Never a JSON number.
        total_credits (str): A non-negative decimal amount as a string, written with exactly the asset's scale
            (`"12.50"` for EUR, `"1000"` for JPY). Never a JSON number.
        entries (list[LedgerEntry]):
        has_more (bool):
        next_cursor (str | Unset):
    """

    account_id: str
    asset: str
    start: datetime.datetime
    end: datetime.datetime
    opening_balance: str
    closing_balance: str
    total_debits: str
    total_credits: str
    entries: list[LedgerEntry]
    has_more: bool
    next_cursor: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        asset = self.asset

        start = self.start.isoformat()

        end = self.end.isoformat()

        opening_balance = self.opening_balance

        closing_balance = self.closing_balance

        total_debits = self.total_debits

        total_credits = self.total_credits

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
                "asset": asset,
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

        d = dict(src_dict)
        account_id = d.pop("account_id")

        asset = d.pop("asset")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        opening_balance = d.pop("opening_balance")

        closing_balance = d.pop("closing_balance")

        total_debits = d.pop("total_debits")

        total_credits = d.pop("total_credits")

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LedgerEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        has_more = d.pop("has_more")

        next_cursor = d.pop("next_cursor", UNSET)

        ledger_statement = cls(
            account_id=account_id,
            asset=asset,
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
