from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_entry import LedgerEntry
    from ..models.ledger_transaction_metadata import LedgerTransactionMetadata


T = TypeVar("T", bound="LedgerTransaction")


@_attrs_define
class LedgerTransaction:
    """
    Attributes:
        id (str): Ledger transaction id.
        type_ (str): Transaction type such as TRANSFER, TOP_UP, HOLD_POST, REVERSAL, PAYMENT.
        posted_at (datetime.datetime):
        entries (list[LedgerEntry]):
        external_reference (str | Unset):
        reverses_transaction_id (str | Unset): Ledger transaction id.
        metadata (LedgerTransactionMetadata | Unset):
    """

    id: str
    type_: str
    posted_at: datetime.datetime
    entries: list[LedgerEntry]
    external_reference: str | Unset = UNSET
    reverses_transaction_id: str | Unset = UNSET
    metadata: LedgerTransactionMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        posted_at = self.posted_at.isoformat()

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        external_reference = self.external_reference

        reverses_transaction_id = self.reverses_transaction_id

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "posted_at": posted_at,
                "entries": entries,
            }
        )
        if external_reference is not UNSET:
            field_dict["external_reference"] = external_reference
        if reverses_transaction_id is not UNSET:
            field_dict["reverses_transaction_id"] = reverses_transaction_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_entry import LedgerEntry  # noqa: PLC0415
        from ..models.ledger_transaction_metadata import LedgerTransactionMetadata  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        posted_at = datetime.datetime.fromisoformat(d.pop("posted_at"))

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LedgerEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        external_reference = d.pop("external_reference", UNSET)

        reverses_transaction_id = d.pop("reverses_transaction_id", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: LedgerTransactionMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = LedgerTransactionMetadata.from_dict(_metadata)

        ledger_transaction = cls(
            id=id,
            type_=type_,
            posted_at=posted_at,
            entries=entries,
            external_reference=external_reference,
            reverses_transaction_id=reverses_transaction_id,
            metadata=metadata,
        )

        return ledger_transaction
