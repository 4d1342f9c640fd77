"""Cross-cutting machinery: settings, database, outbox, event bus, idempotency, observability."""
