from .handler import KycHandler

__all__ = ["KycHandler"]
