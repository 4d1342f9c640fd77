from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.check_status import CheckStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthCheck")


@_attrs_define
class HealthCheck:
    """
    Attributes:
        name (str): Dependency checked, such as `database` or `broker`.
        status (CheckStatus):
        latency_ms (int | Unset): Time the check took, in whole milliseconds.
        detail (str | Unset): Why the check failed.
    """

    name: str
    status: CheckStatus
    latency_ms: int | Unset = UNSET
    detail: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status = self.status.value

        latency_ms = self.latency_ms

        detail = self.detail

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "status": status,
            }
        )
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        status = CheckStatus(d.pop("status"))

        latency_ms = d.pop("latency_ms", UNSET)

        detail = d.pop("detail", UNSET)

        health_check = cls(
            name=name,
            status=status,
            latency_ms=latency_ms,
            detail=detail,
        )

        return health_check
