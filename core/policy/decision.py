"""One place where business permissions are decided. Callers describe who, what and on which object;
the Cedar policy files in core/policy/policies decide; the decision is logged whatever it is."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import cedarpy
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from core.platform.db import Database
from core.platform.ids import new_id
from core.policy.tables import PolicyDecisionRow

POLICY_DIR = Path(__file__).parent / "policies"
ROLES = frozenset({"OWNER", "ADMIN", "ACCOUNTANT", "APPROVER", "VIEWER"})
PERSON = "PERSON"  # not a company role: a user acting for themselves, on objects they own
MONEY_ACTIONS = frozenset({"money.credit", "money.debit"})  # money into / out of an account
ACTIONS = frozenset({
    "company.read", "company.update", "company.delete", "company.transfer_ownership",
    "member.list", "member.invite", "member.remove", "member.change_role", "member.manage_owner",
    "department.list", "department.create",
    "api_key.list", "api_key.create", "api_key.revoke",
    "report.read", "payment.prepare", "payment.approve", "wallet.open",
}) | MONEY_ACTIONS  # fmt: skip

CEDAR_LONG_MAX = 2**63 - 1

log = structlog.get_logger("darca.policy")


@dataclass(frozen=True)
class Subject:
    """A company member acting, or a person acting for themselves (`Subject.person`)."""

    user_id: str
    company_id: str
    role: str
    department: str = ""  # "" = company-wide
    status: str = "ACTIVE"
    approval_limit_minor: int = 0

    @classmethod
    def person(cls, user_id: str) -> Subject:
        return cls(user_id, "", PERSON)


@dataclass(frozen=True)
class Target:
    """The object acted on (a company, member, department, API key, payment, ledger account…)."""

    type: str
    id: str
    company_id: str  # "" for an object of a person
    department: str = ""
    owner: str = ""  # the user id owning a person's object ("" for a company's)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    policy_version: str
    deciding_policies: tuple[str, ...]
    errors: tuple[str, ...] = field(default=())
    decision_id: str = ""


def load_policies(directory: Path = POLICY_DIR) -> tuple[str, str]:
    """(policy text, version): the VERSION file plus a digest of the text, so an edit without a bump still shows."""
    text = "\n".join(p.read_text() for p in sorted(directory.glob("*.cedar")))
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return text, f"{(directory / 'VERSION').read_text().strip()}+{digest}"


class PolicyDecisionPoint:
    def __init__(self, db: Database, directory: Path = POLICY_DIR) -> None:
        self._db = db
        self._policies, self.version = load_policies(directory)
        self._policy_set = cedarpy.PolicySet.from_str(self._policies)

    async def decide(
        self, subject: Subject, action: str, target: Target, *, amount_minor: int = 0,
        session: AsyncSession | None = None,
    ) -> Decision:  # fmt: skip
        """Decide and log. The log is written in its own transaction so a refusal (which rolls the caller's
        work back) is still recorded. Pass the caller's `session` instead when it already holds a write lock
        (SQLite allows one writer): the entry then commits, or rolls back, with the caller's work."""
        if action not in ACTIONS:
            raise ValueError(f"unknown policy action {action!r}")
        if subject.role not in ROLES | {PERSON}:
            raise ValueError(f"unknown company role {subject.role!r}")
        principal = f'User::"{subject.user_id}"'
        resource = f'{target.type}::"{target.id}"'
        entities = [
            {
                "uid": {"__entity": {"type": "User", "id": subject.user_id}},
                "attrs": {
                    "id": subject.user_id, "company": subject.company_id, "role": subject.role,
                    "department": subject.department, "status": subject.status,
                    "approval_limit_minor": subject.approval_limit_minor,
                },
                "parents": [],
            },
            {
                "uid": {"__entity": {"type": target.type, "id": target.id}},
                "attrs": {"company": target.company_id, "department": target.department, "owner": target.owner},
                "parents": [],
            },
        ]  # fmt: skip
        # Cedar's Long is 64-bit, an amount (18-decimal ETH) may not be: saturate. Policies only compare
        # amounts with limits, which are Longs too, so a saturated amount is still above every limit.
        request = {
            "principal": principal, "action": f'Action::"{action}"', "resource": resource,
            "context": {"amount_minor": max(min(amount_minor, CEDAR_LONG_MAX), -CEDAR_LONG_MAX)},
        }  # fmt: skip
        result = cedarpy.is_authorized(request, self._policy_set, entities)
        annotations = result.diagnostics.id_annotations_by_reason or {}
        deciding = tuple(sorted(annotations.get(r, r) for r in result.diagnostics.reasons))
        errors = tuple(str(e) for e in result.diagnostics.errors)
        allowed = result.decision == cedarpy.Decision.Allow
        decision_id = new_id("pdc")
        row = PolicyDecisionRow(
            id=decision_id, decided_at=datetime.now(UTC), principal=principal, action=action,
            resource=resource, decision="ALLOW" if allowed else "DENY", policy_version=self.version,
            deciding_policies=list(deciding), errors=list(errors),
            inputs={"subject": asdict(subject), "target": asdict(target), "context": {"amount_minor": amount_minor}},
        )  # fmt: skip
        if session is not None:
            session.add(row)
            await session.flush()
        else:
            async with self._db.unit_of_work() as own:
                own.add(row)
        log.info("policy.decision", action=action, principal=principal, resource=resource, allowed=allowed,
                 policy_version=self.version, deciding_policies=list(deciding), decision_id=decision_id)  # fmt: skip
        return Decision(allowed, self.version, deciding, errors, decision_id)
