"""Thin adapters: generated request models -> core service calls -> generated response models."""
