from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.mfa_method import MfaMethod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="StepUpRequiredProblem")


@_attrs_define
class StepUpRequiredProblem:
    """
    Attributes:
        type_ (str): URI reference identifying the problem type: a link to the code's entry in the error catalogue
            served by the API, `<API base URL>/docs/errors#<code>`.
        title (str): Short, human-readable summary of the problem type.
        status (int): HTTP status code of this occurrence.
        code (str): Stable machine-readable error code (UPPER_SNAKE_CASE). The codes the API uses are listed in
            `x-problem-codes` and described, with what a client should do, at /docs/errors (JSON: /docs/errors.json). The
            list may grow: treat an unknown code by the HTTP status.
        detail (str | Unset): Human-readable explanation specific to this occurrence.
        instance (str | Unset): URI reference identifying this occurrence (the request path).
        trace_id (str | Unset): W3C trace id of the request, for support.
        request_id (str | Unset): The `X-Request-Id` of the request.
        errors (list[FieldError] | Unset): Field-level problems, present for validation failures.
        action (str | Unset): The action the challenge authorises, such as `payment.create` or `identity.totp.disable`.
        methods (list[MfaMethod] | Unset): The methods the user can verify a step-up with now (empty when they have no
            second factor: the action is then possible only from a trusted device).
        step_up_url (str | Unset): Where to create the challenge (`/v1/step-ups`).
    """

    type_: str
    title: str
    status: int
    code: str
    detail: str | Unset = UNSET
    instance: str | Unset = UNSET
    trace_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    action: str | Unset = UNSET
    methods: list[MfaMethod] | Unset = UNSET
    step_up_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        code = self.code

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

        action = self.action

        methods: list[str] | Unset = UNSET
        if not isinstance(self.methods, Unset):
            methods = []
            for methods_item_data in self.methods:
                methods_item = methods_item_data.value
                methods.append(methods_item)

        step_up_url = self.step_up_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "code": code,
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
        if action is not UNSET:
            field_dict["action"] = action
        if methods is not UNSET:
            field_dict["methods"] = methods
        if step_up_url is not UNSET:
            field_dict["step_up_url"] = step_up_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        code = d.pop("code")

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

        action = d.pop("action", UNSET)

        _methods = d.pop("methods", UNSET)
        methods: list[MfaMethod] | Unset = UNSET
        if _methods is not UNSET:
            methods = []
            for methods_item_data in _methods:
                methods_item = MfaMethod(methods_item_data)

                methods.append(methods_item)

        step_up_url = d.pop("step_up_url", UNSET)

        step_up_required_problem = cls(
            type_=type_,
            title=title,
            status=status,
            code=code,
            detail=detail,
            instance=instance,
            trace_id=trace_id,
            request_id=request_id,
            errors=errors,
            action=action,
            methods=methods,
            step_up_url=step_up_url,
        )

        step_up_required_problem.additional_properties = d
        return step_up_required_problem

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
