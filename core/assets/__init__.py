"""The asset registry: fiat currencies and crypto assets with their scales."""
