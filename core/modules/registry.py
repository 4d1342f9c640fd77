"""Reads `modules/<id>/manifest.yaml`; a module listed in `DARCA_DISABLED_MODULES` is switched off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MODULE_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class ModuleManifest:
    id: str
    version: str
    enabled: bool
    path: Path


def load_manifests(modules_dir: Path, disabled: set[str]) -> list[ModuleManifest]:
    manifests = []
    for manifest_path in sorted(modules_dir.glob("*/manifest.yaml")):
        data = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
        module_id = data.get("id")
        if not isinstance(module_id, str) or not MODULE_ID.match(module_id):
            raise ManifestError(f"{manifest_path}: `id` must match {MODULE_ID.pattern}")
        if module_id != manifest_path.parent.name:
            raise ManifestError(f"{manifest_path}: id {module_id!r} differs from its folder name")
        manifests.append(
            ModuleManifest(
                id=module_id,
                version=str(data.get("version", "0.0.0")),
                enabled=bool(data.get("enabled", True)) and module_id not in disabled,
                path=manifest_path.parent,
            )
        )
    return manifests
