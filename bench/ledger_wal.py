"""Where a batched transfer's WAL goes: per table or index and record type, read back with
PostgreSQL's pg_walinspect (15+).

    .venv/bin/python -m bench.ledger_wal [--batches 3] [--batch 1000] [--accounts 1000]

Posts `batches` unlinked batches of `batch` transfers among `accounts` accounts through the facade
(one unit of work each, as a gRPC batch is), right after a checkpoint, and sorts the WAL records
written meanwhile by the relation their first block belongs to. The bench's sections report WAL
bytes per transfer; this tells which table or index writes them, and so what a schema change
would save. Writes bench/results/ledger_wal.json; where pg_walinspect cannot be had, says so there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import asyncpg

from bench.ledger import admin, db_url, prepare, vacuum
from core.ledger.api import Ledger, transfer
from core.platform.db import Database

RESULTS = Path(__file__).parent / "results" / "ledger_wal.json"
_RELATION = re.compile(r"rel \d+/\d+/(\d+)")


def breakdown(records: Iterable[Mapping[str, Any]], names: Mapping[int, str], units: int) -> list[dict[str, Any]]:
    """WAL records summed per (relation, resource manager, record type), largest first, per unit.
    A record's relation is its first block's (`block_ref`); records without blocks (commits) go
    under "-", blocks of relations not in `names` under their file number."""
    sums: dict[tuple[str, str, str], list[int]] = {}
    for record in records:
        found = _RELATION.search(record["block_ref"] or "")
        relation = "-" if found is None else names.get(int(found.group(1)), found.group(1))
        counted = sums.setdefault((relation, record["resource_manager"], record["record_type"]), [0, 0, 0])
        counted[0] += 1
        counted[1] += record["record_length"]
        counted[2] += record["fpi_length"]
    rows = [{"relation": relation, "resource_manager": manager, "record_type": kind,
             "records_per_unit": round(count / units, 3), "bytes_per_unit": round(length / units, 1),
             "full_page_image_bytes_per_unit": round(images / units, 1)}
            for (relation, manager, kind), (count, length, images) in sums.items()]
    return sorted(rows, key=lambda row: -row["bytes_per_unit"])


async def measure(batches: int, batch: int, accounts: int) -> dict[str, Any]:
    name = f"darca_bench_wal_{uuid.uuid4().hex[:8]}"
    url, ids = await prepare(name, accounts)
    try:
        await vacuum(name)
        connection = await asyncpg.connect(db_url(name, "postgresql"))
        try:
            try:
                await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
            except asyncpg.PostgresError as exc:
                return {"unavailable": f"pg_walinspect: {exc}"}
            await connection.execute("CHECKPOINT")  # every section of the bench may start after one too
            db = Database(url)
            ledger = Ledger(db)
            rng = random.Random(1)
            start = await connection.fetchval("SELECT pg_current_wal_insert_lsn()")
            for _ in range(batches):
                specs = [transfer(f"w{uuid.uuid4().hex}", *rng.sample(ids, 2), rng.randint(1, 100)) for _ in range(batch)]
                await ledger.post_transactions(None, specs, linked=False)
            # Up to the flushed end: every committed transfer is in it, while the insert position may already
            # hold another session's unflushed records, which pg_walinspect refuses to read ("future end LSN").
            end = await connection.fetchval("SELECT pg_current_wal_flush_lsn()")
            await db.dispose()
            names = {row["filenode"]: row["relname"] for row in await connection.fetch(
                "SELECT pg_relation_filenode(oid) AS filenode, relname FROM pg_class "
                "WHERE pg_relation_filenode(oid) IS NOT NULL")}
            records = await connection.fetch(
                "SELECT resource_manager, record_type, record_length, fpi_length, block_ref "
                "FROM pg_get_wal_records_info($1, $2)", start, end)
        finally:
            await connection.close()
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    units = batches * batch
    rows = breakdown(records, names, units)
    return {"batches": batches, "batch": batch, "accounts": accounts, "transfers": units,
            "records_per_transfer": round(len(records) / units, 2),
            "bytes_per_transfer": round(sum(r["record_length"] for r in records) / units),
            "by_relation": rows}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--accounts", type=int, default=1_000)
    args = parser.parse_args()
    results = asyncio.run(measure(args.batches, args.batch, args.accounts))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    if "unavailable" in results:
        print(results["unavailable"])
        return 0
    print(f"{results['transfers']} transfers in batches of {results['batch']}: {results['records_per_transfer']} WAL "
          f"records and {results['bytes_per_transfer']} bytes per transfer")
    for row in results["by_relation"][:25]:
        print(f"{row['relation']:40s} {row['resource_manager']:8s} {row['record_type']:14s} "
              f"{row['records_per_unit']:6.2f} records {row['bytes_per_unit']:7.0f} B "
              f"({row['full_page_image_bytes_per_unit']:.0f} B page images) per transfer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
