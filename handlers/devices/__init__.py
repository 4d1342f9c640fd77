from .handler import DevicesHandler

__all__ = ["DevicesHandler"]
