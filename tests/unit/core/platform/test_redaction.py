"""Connection URLs are shown with their credentials masked, and otherwise as they were."""

from __future__ import annotations

import pytest

from core.platform.redaction import redacted


@pytest.mark.parametrize(("url", "shown"), [
    ("amqp://darca:s3cret@mq.internal:5672/", "amqp://darca:***@mq.internal:5672/"),
    ("amqps://darca:p%40ss%3Aw0rd@mq.internal/vhost", "amqps://darca:***@mq.internal/vhost"),
    # unencoded "@", "#", "/" in a password: masked whole all the same
    ("amqp://darca:p@ss@mq.internal:5672/", "amqp://darca:***@mq.internal:5672/"),
    ("amqp://darca:s3#cret@mq.internal:5672/", "amqp://darca:***@mq.internal:5672/"),
    ("amqp://darca:s3/cret?@mq.internal:5672/", "amqp://darca:***@mq.internal:5672/"),
    ("postgresql+asyncpg://darca:s3cret@db.internal:5432/darca", "postgresql+asyncpg://darca:***@db.internal:5432/darca"),
    ("postgresql+asyncpg://darca@db/darca?password=s3cret&sslmode=require",
     "postgresql+asyncpg://darca@db/darca?password=***&sslmode=require"),
    ("nats://s3cret-token@nats.internal:4222", "nats://***@nats.internal:4222"),
    ("nats://bob:s3cret@a:4222,nats://bob:s3cret@b:4222", "nats://bob:***@a:4222,nats://bob:***@b:4222"),
    ("kafka://broker:9092?sasl_plain_password=s3cret", "kafka://broker:9092?sasl_plain_password=***"),
    # nothing secret: unchanged
    ("sqlite+aiosqlite:///var/darca.db", "sqlite+aiosqlite:///var/darca.db"),
    ("memory://", "memory://"),
    ("amqp://guest@127.0.0.1:5672/", "amqp://guest@127.0.0.1:5672/"),
    ("postgresql+asyncpg://darca@db/darca?sslmode=require&application_name=a%20b",
     "postgresql+asyncpg://darca@db/darca?sslmode=require&application_name=a%20b"),
])
def test_credentials_are_masked_and_the_rest_kept(url: str, shown: str) -> None:
    assert redacted(url) == shown
    assert "cret" not in redacted(url)


def test_an_unreadable_url_is_not_shown() -> None:
    assert redacted("amqp://user:s3cret@[::1") == "***"
