"""Group commit: transactions posted concurrently share a unit of work.

Each is still applied or refused on its own, but many callers pay for one lock statement, one
write and one commit (ADR 0005). A few flushers take the queued transactions in groups; an idle
flusher lingers briefly with its connection for the next ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from core.platform.problems import ProblemError

from .models import Transaction, TransactionSpec

GROUP_COMMIT_FLUSHERS = 4  # units of work in flight at once for concurrently posted transactions
GROUP_COMMIT_MAX = 1_000
GROUP_COMMIT_LINGER_MS = 2  # how long an idle flusher keeps its connection for the next transactions
# A group of at least twice this many transactions is split in two when the halves share no account:
# the database then locks, writes and commits both side by side, and one half is computed while the
# other is written. Halves that share accounts would only queue on each other's rows (ADR 0005).
GROUP_COMMIT_SPLIT_FROM = 8

PostGroup = Callable[[Sequence[TransactionSpec]], Awaitable[list[Transaction | ProblemError]]]


class GroupCommit:
    """`post`: posts a group of unlinked transactions in one unit of work; `hold_connection`: keeps
    one connection for a flusher's run of groups."""

    def __init__(self, post: PostGroup, hold_connection: Callable[[], AbstractAsyncContextManager[None]]) -> None:
        self._post = post
        self._hold_connection = hold_connection
        self._queue: list[tuple[TransactionSpec, asyncio.Future[Transaction]]] = []
        self._flushers = 0
        self._idle = 0  # flushers waiting for work (`_linger`)
        self._flushing = 0  # flushers posting a group
        self._work = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, spec: TransactionSpec) -> Transaction:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): the flushers of the old one are gone
            self._loop, self._queue, self._work = loop, [], asyncio.Event()
            self._flushers = self._idle = self._flushing = 0
        future: asyncio.Future[Transaction] = loop.create_future()
        self._queue.append((spec, future))
        self._call_flusher()
        return await future

    def _call_flusher(self) -> None:
        """Wake an idle flusher for the queued transactions, or start one if fewer are running than allowed."""
        if self._idle > 0:
            self._work.set()
        elif self._flushers < GROUP_COMMIT_FLUSHERS:
            self._flushers += 1
            asyncio.create_task(self._flush_queue())

    async def _flush_queue(self) -> None:
        try:
            await asyncio.sleep(0)  # let the callers of this turn of the loop join
            while self._queue:
                try:
                    async with self._hold_connection():
                        while self._queue or await self._linger():
                            if not await self._flush_group():
                                break  # the next groups get a fresh connection
                except Exception as exc:  # noqa: BLE001 — no connection to be had: the waiting callers get it
                    queued, self._queue = self._queue, []
                    for _, future in queued:
                        if not future.done():
                            future.set_exception(exc)
        finally:
            self._flushers -= 1

    async def _linger(self) -> bool:
        """Wait briefly for the next transactions (the callers just served post again at once);
        True when some arrived. Keeps the flusher, and its connection, for them."""
        work = self._work
        self._idle += 1
        try:
            while not self._queue:
                work.clear()
                await asyncio.wait_for(work.wait(), GROUP_COMMIT_LINGER_MS / 1000)
            return True
        except TimeoutError:
            return bool(self._queue)
        finally:
            self._idle -= 1

    async def _flush_group(self) -> bool:
        """Post the queued transactions as one group; False when it failed as a whole."""
        group, seen, rest = [], set(), []
        for spec, future in self._queue:  # one id once per group: a retry waits for the next
            if spec.client_id in seen or len(group) >= GROUP_COMMIT_MAX:
                rest.append((spec, future))
            else:
                seen.add(spec.client_id)
                group.append((spec, future))
        half = len(group) // 2
        another = self._flushers - self._flushing > 1 or self._flushers < GROUP_COMMIT_FLUSHERS  # to take a half
        split = half >= GROUP_COMMIT_SPLIT_FROM and another and _disjoint(group[:half], group[half:])
        if split:
            group, rest = group[:half], group[half:] + rest
        self._queue = rest
        if split:
            self._call_flusher()
        self._flushing += 1
        try:
            outcomes = await self._post([spec for spec, _ in group])
        except BaseException as exc:  # nothing was committed: every caller of the group gets it
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return False
        finally:
            self._flushing -= 1
        for (_, future), outcome in zip(group, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, ProblemError):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
        return True


def _disjoint(first: Sequence[tuple[TransactionSpec, Any]], second: Sequence[tuple[TransactionSpec, Any]]) -> bool:
    """Whether two parts of a group touch no common account (a reversal's accounts are not known yet)."""
    if any(spec.reverses_id for spec, _ in first) or any(spec.reverses_id for spec, _ in second):
        return False
    accounts = {posting.account_id for spec, _ in first for posting in spec.postings}
    return not any(posting.account_id in accounts for spec, _ in second for posting in spec.postings)
