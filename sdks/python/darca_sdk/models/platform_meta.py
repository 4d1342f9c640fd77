from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.environment import Environment

if TYPE_CHECKING:
    from ..models.module_info import ModuleInfo


T = TypeVar("T", bound="PlatformMeta")


@_attrs_define
class PlatformMeta:
    """
    Attributes:
        platform_version (str): Version of the running platform build.
        api_version (str): Version of the published OpenAPI contract (`info.version`).
        environment (Environment): SANDBOX enables test-only operations (such as funding wallets); PRODUCTION refuses
            them.
        modules (list[ModuleInfo]): Modules enabled on this deployment.
    """

    platform_version: str
    api_version: str
    environment: Environment
    modules: list[ModuleInfo]

    def to_dict(self) -> dict[str, Any]:
        platform_version = self.platform_version

        api_version = self.api_version

        environment = self.environment.value

        modules = []
        for modules_item_data in self.modules:
            modules_item = modules_item_data.to_dict()
            modules.append(modules_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "platform_version": platform_version,
                "api_version": api_version,
                "environment": environment,
                "modules": modules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.module_info import ModuleInfo  # noqa: PLC0415

        d = dict(src_dict)
        platform_version = d.pop("platform_version")

        api_version = d.pop("api_version")

        environment = Environment(d.pop("environment"))

        modules = []
        _modules = d.pop("modules")
        for modules_item_data in _modules:
            modules_item = ModuleInfo.from_dict(modules_item_data)

            modules.append(modules_item)

        platform_meta = cls(
            platform_version=platform_version,
            api_version=api_version,
            environment=environment,
            modules=modules,
        )

        return platform_meta
