from .handler import CompaniesHandler

__all__ = ["CompaniesHandler"]
