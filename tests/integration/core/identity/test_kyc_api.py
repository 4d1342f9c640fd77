"""KYC through the API with the worker running: the sandbox provider decides asynchronously,
the worker applies its decisions (history, event, audit, notification), operators settle
manual reviews."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit.tables import AuditEntryRow
from core.identity.kyc import kyc_level
from core.identity.kyc.sandbox import SandboxKycProvider
from core.identity.kyc.worker import KycWorker
from core.identity.kyc.tables import KycCheckRow, KycHistoryRow
from core.notifications.tables import NotificationRow
from core.platform.clock import CLOCK, Clock
from core.platform.tables import OutboxEvent
from tests.conftest import OPERATOR_KEY
from tests.support.context import system_context

from .conftest import IdentityPlatform
from .helpers import active_user, bearer, login

ALICE = ("alice.kyc@darca.test", "+442079460301")
BOB = ("bob.kyc@darca.test", "+442079460302")
OPERATOR = {"X-API-Key": OPERATOR_KEY}
EVENT = "darca.identity.kyc_status_changed.v1"


@pytest.fixture(autouse=True)
def fast_kyc(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    """The sandbox decides 500 ms (of the platform clock) after a submission and the worker polls every 50 ms
    (read by the `idp` settings)."""
    monkeypatch.setenv("DARCA_KYC_SANDBOX_DELAY_MS", "500")
    monkeypatch.setenv("DARCA_KYC_POLL_MS", "50")


def check_body(number: str, level: str = "BASIC", born: str = "1990-05-17") -> dict:
    return {"target_level": level, "first_name": "Ada", "last_name": "Lovelace", "date_of_birth": born,
            "document": {"type": "PASSPORT", "number": number, "issuing_country": "GB"}}


async def user(idp: IdentityPlatform, who: tuple[str, str]) -> tuple[str, dict[str, str]]:
    uid = await active_user(idp, *who)
    return uid, bearer(await login(idp, who[0]))


async def submit(idp: IdentityPlatform, auth: dict[str, str], body: dict, key: str | None = None):  # type: ignore[no-untyped-def]
    return await idp.client.post("/v1/kyc/checks", json=body,
                                 headers={**auth, "Idempotency-Key": key or str(uuid.uuid4())})


async def decided(idp: IdentityPlatform, auth: dict[str, str], check_id: str, timeout: float = 15.0) -> dict:
    """Move the clock past the sandbox's delay, then poll the check until the worker moved it out of PENDING."""
    CLOCK.advance(timedelta(milliseconds=idp.settings.kyc_sandbox_delay_ms))
    async with asyncio.timeout(timeout):
        while True:
            check = (await idp.client.get(f"/v1/kyc/checks/{check_id}", headers=auth)).json()
            if check["status"] != "PENDING":
                return check
            await asyncio.sleep(0.05)


async def kyc_events(idp: IdentityPlatform, uid: str) -> list[dict]:
    async with idp.runtime.db.unit_of_work() as session:
        rows = (await session.execute(select(OutboxEvent).where(
            OutboxEvent.partition_key == uid, OutboxEvent.event_type == EVENT).order_by(OutboxEvent.sequence))).scalars()
        return [r.data for r in rows]


@pytest.mark.backends("sqlite", "postgresql")  # smoke: KYC
async def test_approval_raises_the_level_with_history_event_audit_and_notification(idp: IdentityPlatform) -> None:
    uid, auth = await user(idp, ALICE)
    assert (await idp.client.get("/v1/kyc", headers=auth)).json() == {
        "user_id": uid, "level": "NONE", "status": "NOT_STARTED", "history": []}

    created = await submit(idp, auth, check_body("x12340000"))
    assert created.status_code == 202, created.text
    check = created.json()
    assert created.headers["Location"] == f"/v1/kyc/checks/{check['id']}"
    assert check["status"] == "PENDING" and check["target_level"] == "BASIC" and check["user_id"] == uid
    assert check["document"] == {"type": "PASSPORT", "issuing_country": "GB", "number_last4": "0000"}
    assert "X12340000" not in created.text.upper()
    pending = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert (pending["status"], pending["open_check_id"]) == ("PENDING", check["id"])

    done = await decided(idp, auth, check["id"])
    assert done["status"] == "APPROVED" and "reason" not in done and done["decided_at"] >= done["created_at"]

    profile = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert (profile["level"], profile["status"]) == ("BASIC", "APPROVED") and "open_check_id" not in profile
    assert [(h["from_level"], h["from_status"], h["to_level"], h["to_status"], h["check_id"])
            for h in profile["history"]] == [
        ("NONE", "NOT_STARTED", "NONE", "PENDING", check["id"]),
        ("NONE", "PENDING", "BASIC", "APPROVED", check["id"])]
    assert await kyc_events(idp, uid) == [
        {"user_id": uid, "check_id": check["id"], "from_level": "NONE", "to_level": "NONE",
         "from_status": "NOT_STARTED", "to_status": "PENDING"},
        {"user_id": uid, "check_id": check["id"], "from_level": "NONE", "to_level": "BASIC",
         "from_status": "PENDING", "to_status": "APPROVED"}]

    async with idp.runtime.db.unit_of_work() as session:
        assert await kyc_level(system_context(session), uid) == "BASIC"
        notes = (await session.execute(select(NotificationRow).where(
            NotificationRow.user_id == uid, NotificationRow.event_type == "identity.kyc_status_changed"))).scalars().all()
        audits = (await session.execute(select(AuditEntryRow.action, AuditEntryRow.actor_kind).where(
            AuditEntryRow.target == check["id"]).order_by(AuditEntryRow.sequence))).all()
        row = await session.get(KycCheckRow, check["id"])
    assert notes and any("APPROVED" in n.subject for n in notes)
    assert [tuple(a) for a in audits] == [("identity.kyc.check_submitted", "USER"),
                                          ("identity.kyc.check_decided", "SYSTEM")]
    # only a digest and the last four characters of the document number are kept
    assert row is not None and row.document_last4 == "0000" and len(row.document_hash) == 64
    assert all("X12340000" not in str(v) for v in row.model_dump().values())


async def test_rejection_keeps_the_level_and_allows_a_new_check(idp: IdentityPlatform) -> None:
    uid, auth = await user(idp, ALICE)
    check = (await submit(idp, auth, check_body("AB12341111", "VERIFIED"))).json()
    done = await decided(idp, auth, check["id"])
    assert (done["status"], done["reason"]) == ("REJECTED", "DOCUMENT_EXPIRED")
    profile = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert (profile["level"], profile["status"]) == ("NONE", "REJECTED")
    assert profile["history"][-1]["reason"] == "DOCUMENT_EXPIRED"
    assert (await kyc_events(idp, uid))[-1]["reason"] == "DOCUMENT_EXPIRED"

    again = await submit(idp, auth, check_body("AB12340000", "VERIFIED"))
    assert again.status_code == 202, again.text
    assert (await decided(idp, auth, again.json()["id"]))["status"] == "APPROVED"
    assert (await idp.client.get("/v1/kyc", headers=auth)).json()["level"] == "VERIFIED"


async def test_manual_review_is_settled_by_an_operator(idp: IdentityPlatform) -> None:
    uid, auth = await user(idp, ALICE)
    check = (await submit(idp, auth, check_body("ZZ99992222", "ENHANCED"))).json()
    review = await decided(idp, auth, check["id"])
    assert (review["status"], review["reason"]) == ("MANUAL_REVIEW", "DOCUMENT_UNCLEAR")
    assert "decided_at" not in review
    # still open: a second check is refused while an operator has not decided
    assert (await submit(idp, auth, check_body("ZZ99990000"))).json()["code"] == "KYC_CHECK_IN_PROGRESS"

    path = f"/v1/kyc/checks/{check['id']}/decision"
    decision = {"decision": "APPROVE", "reason": "Document checked by hand"}
    as_user = await idp.client.post(path, json=decision, headers=auth)
    assert as_user.status_code == 401 and as_user.json()["code"] == "UNAUTHENTICATED"
    missing = await idp.client.post("/v1/kyc/checks/kyc_00000000000000000000000000/decision", json=decision,
                                    headers=OPERATOR)
    assert missing.status_code == 404 and missing.json()["code"] == "KYC_CHECK_NOT_FOUND"

    approved = await idp.client.post(path, json=decision, headers=OPERATOR)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["reason"]) == ("APPROVED", "Document checked by hand")
    again = await idp.client.post(path, json={"decision": "REJECT", "reason": "changed my mind"}, headers=OPERATOR)
    assert again.status_code == 409 and again.json()["code"] == "KYC_CHECK_NOT_IN_MANUAL_REVIEW"

    profile = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert (profile["level"], profile["status"]) == ("ENHANCED", "APPROVED")
    assert [h["to_status"] for h in profile["history"]] == ["PENDING", "MANUAL_REVIEW", "APPROVED"]
    assert [e["to_status"] for e in await kyc_events(idp, uid)] == ["PENDING", "MANUAL_REVIEW", "APPROVED"]
    async with idp.runtime.db.unit_of_work() as session:
        operator_audit = (await session.execute(select(AuditEntryRow).where(
            AuditEntryRow.target == check["id"], AuditEntryRow.actor_kind == "OPERATOR"))).scalar_one()
    assert operator_audit.action == "identity.kyc.check_decided" and operator_audit.reason == decision["reason"]


async def test_operator_rejection_of_a_review(idp: IdentityPlatform) -> None:
    _, auth = await user(idp, ALICE)
    check = (await submit(idp, auth, check_body("ZZ99992222"))).json()
    await decided(idp, auth, check["id"])
    rejected = await idp.client.post(f"/v1/kyc/checks/{check['id']}/decision",
                                     json={"decision": "REJECT", "reason": "Photo does not match"}, headers=OPERATOR)
    assert rejected.json()["status"] == "REJECTED"
    profile = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert (profile["level"], profile["status"]) == ("NONE", "REJECTED")


async def test_refusals(idp: IdentityPlatform) -> None:
    _, alice = await user(idp, ALICE)
    _, bob = await user(idp, BOB)
    # a manual-review check stays open (PENDING, then MANUAL_REVIEW) until an operator decides
    check = (await submit(idp, alice, check_body("AA11112222", "VERIFIED"))).json()

    second = await submit(idp, alice, check_body("AA22220000", "ENHANCED"))
    assert second.status_code == 409 and second.json()["code"] == "KYC_CHECK_IN_PROGRESS"
    assert second.json()["open_check_id"] == check["id"]

    foreign = await idp.client.get(f"/v1/kyc/checks/{check['id']}", headers=bob)
    assert foreign.status_code == 404 and foreign.json()["code"] == "KYC_CHECK_NOT_FOUND"

    assert (await decided(idp, alice, check["id"]))["status"] == "MANUAL_REVIEW"
    settled = await idp.client.post(f"/v1/kyc/checks/{check['id']}/decision",
                                    json={"decision": "APPROVE", "reason": "ok"}, headers=OPERATOR)
    assert settled.json()["status"] == "APPROVED"
    for level in ("BASIC", "VERIFIED"):  # below and at the current level
        lower = await submit(idp, alice, check_body("AA33330000", level))
        assert lower.status_code == 422 and lower.json()["code"] == "KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT"

    future = await submit(idp, bob, check_body("BB11110000", born="2999-01-01"))
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "body.date_of_birth"
    anonymous = await idp.client.get("/v1/kyc")
    assert anonymous.status_code == 401


async def test_submission_is_idempotent(idp: IdentityPlatform) -> None:
    _, auth = await user(idp, ALICE)
    first = await submit(idp, auth, check_body("CC12340000"), key="kyc-once")
    replay = await submit(idp, auth, check_body("CC12340000"), key="kyc-once")
    assert replay.status_code == 202 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json()["id"] == first.json()["id"]


@pytest.mark.backends("sqlite", "postgresql")  # concurrent workers
async def test_competing_workers_apply_a_decision_once(idp: IdentityPlatform) -> None:
    """Two more workers race the runtime's: each check is decided exactly once (SKIP LOCKED on
    PostgreSQL, the single writer on SQLite)."""
    uid, auth = await user(idp, ALICE)
    check = (await submit(idp, auth, check_body("DD12340000"))).json()
    provider = SandboxKycProvider(delay_ms=0)
    workers = [KycWorker(idp.runtime.db, provider, poll_ms=10) for _ in range(2)]
    async with asyncio.timeout(15):
        while (await idp.client.get(f"/v1/kyc/checks/{check['id']}", headers=auth)).json()["status"] == "PENDING":
            await asyncio.gather(*(w.run_once() for w in workers))
    async with idp.runtime.db.unit_of_work() as session:
        changes = (await session.execute(select(KycHistoryRow.to_status).where(
            KycHistoryRow.user_id == uid).order_by(KycHistoryRow.id))).scalars().all()
    assert changes == ["PENDING", "APPROVED"]


class CrashAfterPoll:
    """The sandbox provider, but the process 'dies' right after the provider answered: the task
    is cancelled, so the worker never gets to commit the decision."""

    name = "SANDBOX"

    def __init__(self) -> None:
        self.sandbox = SandboxKycProvider(delay_ms=0)
        self.answers = 0

    async def submit(self, check):  # type: ignore[no-untyped-def]
        return await self.sandbox.submit(check)

    async def poll(self, reference: str):  # type: ignore[no-untyped-def]
        decision = await self.sandbox.poll(reference)
        if decision is not None:
            self.answers += 1
            task = asyncio.current_task()
            assert task is not None
            task.cancel()
        return decision


@pytest.fixture
def idle_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime's own KYC worker stays off; the test drives workers itself."""
    monkeypatch.setenv("DARCA_KYC_POLL_MS", "0")


@pytest.mark.backends("sqlite", "postgresql")  # transactions across a crash
async def test_a_crash_between_poll_and_apply_loses_nothing(idle_worker: None, idp: IdentityPlatform) -> None:
    assert idp.runtime.kyc_worker is None
    uid, auth = await user(idp, ALICE)
    check = (await submit(idp, auth, check_body("EE12341111"))).json()
    CLOCK.advance(timedelta(milliseconds=idp.settings.kyc_sandbox_delay_ms))  # the provider has its answer
    crashing = CrashAfterPoll()
    doomed = asyncio.create_task(KycWorker(idp.runtime.db, crashing).process(check["id"]))
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert crashing.answers == 1
    assert (await idp.client.get(f"/v1/kyc/checks/{check['id']}", headers=auth)).json()["status"] == "PENDING"

    worker = KycWorker(idp.runtime.db, SandboxKycProvider(delay_ms=0))
    assert await worker.run_once() == 1  # re-polled and applied
    assert await worker.run_once() == 0
    done = (await idp.client.get(f"/v1/kyc/checks/{check['id']}", headers=auth)).json()
    assert (done["status"], done["reason"]) == ("REJECTED", "DOCUMENT_EXPIRED")
    assert [e["to_status"] for e in await kyc_events(idp, uid)] == ["PENDING", "REJECTED"]


@pytest.fixture
def in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read by the `idp` settings, so it must come before `idp` in a test's arguments."""
    monkeypatch.setenv("DARCA_ENVIRONMENT", "PRODUCTION")


async def test_production_refuses_checks_without_a_provider(in_production: None, idp: IdentityPlatform) -> None:
    """The sandbox provider never decides a real person's KYC: outside the sandbox there is no provider yet."""
    assert not idp.settings.sandbox and idp.runtime.kyc_provider is None
    uid, auth = await user(idp, ALICE)
    refused = await submit(idp, auth, check_body("P12340000"))
    assert (refused.status_code, refused.json()["code"]) == (503, "KYC_PROVIDER_NOT_CONFIGURED"), refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    profile = (await idp.client.get("/v1/kyc", headers=auth)).json()
    assert profile["level"] == "NONE" and profile["history"] == [] and "open_check_id" not in profile
    assert await kyc_events(idp, uid) == []
