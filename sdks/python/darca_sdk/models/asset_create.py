from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.asset_kind import AssetKind

T = TypeVar("T", bound="AssetCreate")


@_attrs_define
class AssetCreate:
    """
    Attributes:
        code (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
        name (str): A name others see: no control, format or bidi characters (Unicode Cc, Cf, U+2028, U+2029), no
            leading or trailing white space.
        kind (AssetKind):
        scale (int): Number of decimal places of the asset's minor unit.
    """

    code: str
    name: str
    kind: AssetKind
    scale: int

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        kind = self.kind.value

        scale = self.scale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "scale": scale,
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

        asset_create = cls(
            code=code,
            name=name,
            kind=kind,
            scale=scale,
        )

        return asset_create
