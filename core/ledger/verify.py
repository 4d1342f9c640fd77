"""Integrity check of the whole ledger, recomputed from the journal alone.

Checks: every transaction sums to zero per asset and matches its sealed digest; every
account's entries have contiguous versions, running balances that fold from zero, and an
unbroken hash chain ending at the account's seal; stored balances equal the fold; pending
amounts equal the open holds; the trial balance of every asset is zero.

Memory is bounded by the number of accounts, not by the size of the journal: the journal is
read in streams of `BATCH` rows (server-side cursors on PostgreSQL) and only one small state per
account is kept.

1. Transactions joined with their entries, in transaction id order, one transaction at a time:
   entry count, zero sums per asset, the sealed digest recomputed from the journal.
2. Entries in (account_id, account_version) order joined with their transaction's stored digest:
   versions, running balances, assets and the hash chain. Pass 1 proved the stored digest equals
   the one recomputed from the journal for every transaction it did not report; for those it did
   report, the recomputed digest is kept (up to `MAX_RESEALED` of them) and the chain uses it, so
   a tampered transaction or entry is reported exactly as when every digest was kept in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.platform.db import Database

from .hashing import entry_hash, genesis, transaction_digest
from .repository import LedgerRepository, T
from .service import PENDING, floor_of

MAX_LISTED = 20
BATCH = 2000  # rows per round trip of a stream, and the most any stream holds at once
MAX_RESEALED = 10_000  # recomputed digests kept for transactions that do not match their seal

_T_KEYS = tuple(column.name for column in T.columns)  # the leading columns of a pass 1 row
_SEQUENCE, _ACCOUNT, _AMOUNT, _ASSET = range(len(_T_KEYS), len(_T_KEYS) + 4)


@dataclass
class Report:
    accounts: int = 0
    transactions: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    total_problems: int = 0

    @property
    def ok(self) -> bool:
        return self.total_problems == 0

    def add(self, problem: str) -> None:
        self.total_problems += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    def verdict(self) -> str:
        counts = f"{self.accounts} accounts, {self.transactions} transactions, {self.entries} entries"
        if self.ok:
            return f"ledger OK: {counts}; balances, zero sums, trial balance and hash chains verified"
        return f"ledger DISCREPANCY: {self.total_problems} problem(s) in {counts}; first: {self.problems[0]}"


def _check_transaction(report: Report, row: Any, legs: list[tuple[int, str, int, str]], resealed: dict[str, str]) -> None:
    """One transaction and its entries (sequence, account, amount, asset)."""
    report.transactions += 1
    txn = dict(zip(_T_KEYS, row, strict=False))
    txn_id = txn["id"]
    legs.sort()  # journal order, as the entries were written
    if len(legs) < 2:
        report.add(f"transaction {txn_id} has {len(legs)} entries")
    sums: dict[str, int] = defaultdict(int)
    for _sequence, _account, amount, asset in legs:
        sums[asset] += amount
    for asset, total in sums.items():
        if total:
            report.add(f"transaction {txn_id} sums to {total} in {asset}")
    digest = transaction_digest(txn, [(account, amount) for _sequence, account, amount, _asset in legs])
    if digest != txn["digest"]:
        report.add(f"transaction {txn_id} does not match its sealed digest")
        if len(resealed) < MAX_RESEALED:
            resealed[txn_id] = digest


async def verify(db: Database) -> Report:
    report = Report()
    async with db.unit_of_work() as session:
        repo = LedgerRepository(session)
        if db.dialect == "postgresql":  # one snapshot for every pass: writes going on meanwhile are not discrepancies
            await repo.isolate("REPEATABLE READ, READ ONLY")
        accounts = {a["id"]: a for a in await repo.all_accounts()}
        report.accounts = len(accounts)

        # Pass 1: transactions, one at a time.
        async for partition in repo.unknown_transaction_ids(BATCH):
            for (txn_id,) in partition:
                report.add(f"entries of unknown transaction {txn_id}")
        resealed: dict[str, str] = {}  # transaction -> its digest recomputed from the journal, where not the stored one
        current: Any = None
        legs: list[tuple[int, str, int, str]] = []
        async for partition in repo.transactions_with_entries(BATCH):
            for row in partition:
                if current is None or row[0] != current[0]:
                    if current is not None:
                        _check_transaction(report, current, legs, resealed)
                    current, legs = row, []
                if row[_SEQUENCE] is not None:
                    legs.append((row[_SEQUENCE], row[_ACCOUNT], row[_AMOUNT], row[_ASSET]))
        if current is not None:
            _check_transaction(report, current, legs, resealed)
        del current, legs

        # Pass 2: every account's entries in version order, with their transaction's digest.
        state: dict[str, list[Any]] = {}  # account -> [balance, version, hash]
        async for partition in repo.entries_with_digests(BATCH):
            for account_id, account_version, amount, balance_after, asset, txn_id, stored_hash, digest in partition:
                report.entries += 1
                balance, version, seal = state.get(account_id) or (0, 0, genesis(account_id))
                balance += amount
                version += 1
                if account_version != version:
                    report.add(f"account {account_id}: version {account_version} where {version} was due")
                    version = account_version
                if balance_after != balance:
                    report.add(f"account {account_id} v{version}: running balance {balance_after} != fold {balance}")
                account = accounts.get(account_id)
                if account is not None and asset != account["asset"]:
                    report.add(f"account {account_id} v{version}: entry in {asset}")
                seal = entry_hash(seal, resealed.get(txn_id) or digest or "", account_id, amount, balance_after,
                                  account_version)
                if seal != stored_hash:
                    report.add(f"account {account_id} v{version}: hash chain broken")
                    seal = stored_hash
                state[account_id] = [balance, version, seal]
        del resealed

        pending_debits: dict[str, int] = defaultdict(int)
        pending_credits: dict[str, int] = defaultdict(int)
        async for partition in repo.open_hold_amounts(BATCH):
            for account_id, destination_id, amount in partition:
                pending_debits[account_id] += amount
                pending_credits[destination_id] += amount

    trial: dict[str, int] = defaultdict(int)
    for account_id, account in accounts.items():
        balance, version, seal = state.get(account_id, [0, 0, genesis(account_id)])
        trial[account["asset"]] += account["posted"]
        if account["posted"] != balance:
            report.add(f"account {account_id}: stored balance {account['posted']} != fold of entries {balance}")
        if account["version"] != version:
            report.add(f"account {account_id}: stored version {account['version']} != {version} entries")
        if account["last_hash"] != seal:
            report.add(f"account {account_id}: seal does not match its hash chain")
        if account["pending_debits"] != pending_debits.get(account_id, 0):
            report.add(f"account {account_id}: pending {account['pending_debits']} != open holds "
                       f"{pending_debits.get(account_id, 0)}")
        if account["pending_credits"] != pending_credits.get(account_id, 0):
            report.add(f"account {account_id}: incoming pending does not match open holds")
        floor = floor_of(account)
        if floor is not None and account["posted"] - account["pending_debits"] < floor:
            report.add(f"account {account_id}: available balance below its bound")
    for account_id in state.keys() - accounts.keys():
        report.add(f"entries of unknown account {account_id}")
    for asset, total in sorted(trial.items()):
        if total:
            report.add(f"trial balance of {asset} is {total}, not zero")
    return report


__all__ = ["PENDING", "Report", "verify"]
