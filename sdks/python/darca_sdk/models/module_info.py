from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.module_status import ModuleStatus

T = TypeVar("T", bound="ModuleInfo")


@_attrs_define
class ModuleInfo:
    """
    Attributes:
        id (str):
        version (str):
        status (ModuleStatus):
    """

    id: str
    version: str
    status: ModuleStatus

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        version = self.version

        status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "version": version,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version")

        status = ModuleStatus(d.pop("status"))

        module_info = cls(
            id=id,
            version=version,
            status=status,
        )

        return module_info
