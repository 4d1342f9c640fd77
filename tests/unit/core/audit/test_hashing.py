"""The audit hash covers every field and the previous link, and is stable across timezone representations."""

from datetime import UTC, datetime

from core.audit.hashing import CONTENT_FIELDS, GENESIS, entry_hash

CONTENT = {
    "id": "aud_1",
    "occurred_at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    "actor_id": "usr_1",
    "actor_kind": "USER",
    "action": "identity.login",
    "target": "ses_1",
    "result": "SUCCESS",
    "reason": None,
    "device_id": "dev_1",
    "client_ip": "203.0.113.9",
    "details": {"aal": 2},
}


def test_every_field_and_the_previous_link_change_the_hash() -> None:
    base = entry_hash(GENESIS, CONTENT)
    assert entry_hash("0" * 64, CONTENT) != base
    for name in CONTENT_FIELDS:
        changed = dict(
            CONTENT,
            **{
                name: {"aal": 1}
                if name == "details"
                else (datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC) if name == "occurred_at" else "x")
            },
        )
        assert entry_hash(GENESIS, changed) != base, name


def test_naive_utc_from_sqlite_hashes_like_aware_utc() -> None:
    naive = dict(CONTENT, occurred_at=CONTENT["occurred_at"].replace(tzinfo=None))
    assert entry_hash(GENESIS, naive) == entry_hash(GENESIS, CONTENT)
