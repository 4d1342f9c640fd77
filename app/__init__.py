"""Composition root: builds the ASGI app, mounts the core and enabled modules, CLI entry point."""
