"""Sorting WAL records by the relation their first block belongs to."""

from __future__ import annotations

from bench.ledger_wal import breakdown


def record(kind: str, length: int, block_ref: str | None, images: int = 0, manager: str = "Heap") -> dict[str, object]:
    return {"resource_manager": manager, "record_type": kind, "record_length": length, "fpi_length": images,
            "block_ref": block_ref}


def test_records_are_summed_per_relation_and_type_per_unit_largest_first() -> None:
    records = [
        record("INSERT", 100, "blkref #0: rel 1663/5/16400 fork main blk 3"),
        record("INSERT", 300, "blkref #0: rel 1663/5/16400 fork main blk 3", images=200),
        record("INSERT_LEAF", 60, "blkref #0: rel 1663/5/16410 fork main blk 1", manager="Btree"),
        record("COMMIT", 40, None, manager="Transaction"),
        record("INSERT", 50, "blkref #0: rel 1663/5/99999 fork main blk 0"),
    ]
    rows = breakdown(records, {16400: "ledger_entries", 16410: "ledger_entries_pkey"}, units=2)
    assert rows[0] == {"relation": "ledger_entries", "resource_manager": "Heap", "record_type": "INSERT",
                       "records_per_unit": 1.0, "bytes_per_unit": 200.0, "full_page_image_bytes_per_unit": 100.0}
    assert [(r["relation"], r["bytes_per_unit"]) for r in rows[1:]] == [
        ("ledger_entries_pkey", 30.0), ("99999", 25.0), ("-", 20.0)]
