from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.sandbox_top_up_create_metadata import SandboxTopUpCreateMetadata


T = TypeVar("T", bound="SandboxTopUpCreate")


@_attrs_define
class SandboxTopUpCreate:
    """
    Attributes:
        account_id (str): Ledger account id.
        amount (Money): An amount of an asset; the amount is never negative.
        metadata (SandboxTopUpCreateMetadata | Unset):
    """

    account_id: str
    amount: Money
    metadata: SandboxTopUpCreateMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        amount = self.amount.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
                "amount": amount,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.sandbox_top_up_create_metadata import SandboxTopUpCreateMetadata  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        amount = Money.from_dict(d.pop("amount"))

        _metadata = d.pop("metadata", UNSET)
        metadata: SandboxTopUpCreateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = SandboxTopUpCreateMetadata.from_dict(_metadata)

        sandbox_top_up_create = cls(
            account_id=account_id,
            amount=amount,
            metadata=metadata,
        )

        return sandbox_top_up_create
