from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError
    from ..models.health_check import HealthCheck


T = TypeVar("T", bound="ReadinessProblem")


@_attrs_define
class ReadinessProblem:
    """
    Attributes:
        type_ (str): URI reference identifying the problem type: a link to the code's entry in the error catalogue
            served by the API, `<API base URL>/docs/errors#<code>`.
        title (str): Short, human-readable summary of the problem type.
        status (int): HTTP status code of this occurrence.
        code (str): Stable machine-readable error code (UPPER_SNAKE_CASE). The codes the API uses are listed in
            `x-problem-codes` and described, with what a client should do, at /docs/errors (JSON: /docs/errors.json). The
            list may grow: treat an unknown code by the HTTP status.
        checks (list[HealthCheck]):
        detail (str | Unset): Human-readable explanation specific to this occurrence.
        instance (str | Unset): URI reference identifying this occurrence (the request path).
        trace_id (str | Unset): W3C trace id of the request, for support.
        request_id (str | Unset): The `X-Request-Id` of the request.
        errors (list[FieldError] | Unset): Field-level problems, present for validation failures.
    """

    type_: str
    title: str
    status: int
    code: str
    checks: list[HealthCheck]
    detail: str | Unset = UNSET
    instance: str | Unset = UNSET
    trace_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        code = self.code

        checks = []
        for checks_item_data in self.checks:
            checks_item = checks_item_data.to_dict()
            checks.append(checks_item)

        detail = self.detail

        instance = self.instance

        trace_id = self.trace_id

        request_id = self.request_id

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "code": code,
                "checks": checks,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if instance is not UNSET:
            field_dict["instance"] = instance
        if trace_id is not UNSET:
            field_dict["trace_id"] = trace_id
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415
        from ..models.health_check import HealthCheck  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        code = d.pop("code")

        checks = []
        _checks = d.pop("checks")
        for checks_item_data in _checks:
            checks_item = HealthCheck.from_dict(checks_item_data)

            checks.append(checks_item)

        detail = d.pop("detail", UNSET)

        instance = d.pop("instance", UNSET)

        trace_id = d.pop("trace_id", UNSET)

        request_id = d.pop("request_id", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        readiness_problem = cls(
            type_=type_,
            title=title,
            status=status,
            code=code,
            checks=checks,
            detail=detail,
            instance=instance,
            trace_id=trace_id,
            request_id=request_id,
            errors=errors,
        )

        readiness_problem.additional_properties = d
        return readiness_problem

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
