"""The module registry's facade: the manifests of the product modules and which are switched on."""

from core.modules.registry import ManifestError, ModuleManifest, load_manifests

__all__ = ["ManifestError", "ModuleManifest", "load_manifests"]
