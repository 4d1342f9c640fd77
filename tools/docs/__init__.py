"""Published docs: self-contained HTML of the OpenAPI and AsyncAPI contracts (`python -m tools.docs.build`)."""
