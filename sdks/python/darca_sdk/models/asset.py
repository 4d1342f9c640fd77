from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.asset_kind import AssetKind
from ..models.asset_status import AssetStatus

T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """
    Attributes:
        code (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
        name (str):
        kind (AssetKind):
        scale (int):
        status (AssetStatus):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
    """

    code: str
    name: str
    kind: AssetKind
    scale: int
    status: AssetStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        kind = self.kind.value

        scale = self.scale

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "scale": scale,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        kind = AssetKind(d.pop("kind"))

        scale = d.pop("scale")

        status = AssetStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        asset = cls(
            code=code,
            name=name,
            kind=kind,
            scale=scale,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
        )

        return asset
