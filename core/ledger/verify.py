"""Integrity check of the whole ledger, recomputed from the journal alone.

Checks: every transaction sums to zero per asset and matches its sealed digest; every
account's entries have contiguous versions, running balances that fold from zero, and an
unbroken hash chain ending at the account's seal; stored balances equal the fold; pending
amounts equal the open holds; the trial balance of every asset is zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.platform.db import Database

from .hashing import entry_hash, genesis, transaction_digest
from .repository import E, LedgerRepository, T
from .service import PENDING, floor_of

MAX_LISTED = 20


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


async def verify(db: Database) -> Report:
    report = Report()
    async with db.unit_of_work() as session:
        repo = LedgerRepository(session)
        accounts = {a["id"]: a for a in await repo.all_accounts()}
        report.accounts = len(accounts)
        transactions: dict[str, dict[str, Any]] = {}
        async for row in repo.stream(T, T.c.id):
            transactions[row["id"]] = row
        report.transactions = len(transactions)

        postings: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        async for entry in repo.stream(E, E.c.sequence):
            postings[entry["transaction_id"]].append((entry["account_id"], entry["amount"], entry["asset"]))
        for txn_id in postings.keys() - transactions.keys():
            report.add(f"entries of unknown transaction {txn_id}")
        digests = {}
        for txn_id, row in transactions.items():
            legs = postings.get(txn_id, [])
            if len(legs) < 2:
                report.add(f"transaction {txn_id} has {len(legs)} entries")
            sums: dict[str, int] = defaultdict(int)
            for _account, amount, asset in legs:
                sums[asset] += amount
            for asset, total in sums.items():
                if total:
                    report.add(f"transaction {txn_id} sums to {total} in {asset}")
            digests[txn_id] = transaction_digest(row, [(a, amt) for a, amt, _ in legs])
            if digests[txn_id] != row["digest"]:
                report.add(f"transaction {txn_id} does not match its sealed digest")
        del postings

        state: dict[str, list[Any]] = {}  # account -> [balance, version, hash]
        async for entry in repo.stream(E, E.c.account_id, E.c.account_version):
            report.entries += 1
            account_id = entry["account_id"]
            balance, version, seal = state.setdefault(account_id, [0, 0, genesis(account_id)])
            balance += entry["amount"]
            version += 1
            if entry["account_version"] != version:
                report.add(f"account {account_id}: version {entry['account_version']} where {version} was due")
                version = entry["account_version"]
            if entry["balance_after"] != balance:
                report.add(f"account {account_id} v{version}: running balance {entry['balance_after']} != fold {balance}")
            account = accounts.get(account_id)
            if account is not None and entry["asset"] != account["asset"]:
                report.add(f"account {account_id} v{version}: entry in {entry['asset']}")
            seal = entry_hash(seal, digests.get(entry["transaction_id"], ""), account_id, entry["amount"],
                              entry["balance_after"], entry["account_version"])
            if seal != entry["hash"]:
                report.add(f"account {account_id} v{version}: hash chain broken")
                seal = entry["hash"]
            state[account_id] = [balance, version, seal]

        pending_debits: dict[str, int] = defaultdict(int)
        pending_credits: dict[str, int] = defaultdict(int)
        for hold in await repo.pending_holds_total():
            pending_debits[hold["account_id"]] += hold["amount"]
            pending_credits[hold["destination_id"]] += hold["amount"]

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
