"""What every scheduled message shares: plan it by natural key, claim it for one process, mark it sent or failed.

A delivery row is inserted in the same transaction as the decision to send it; its natural key
(kind, user or channel, group, period) is unique, so a decision taken twice (two processes, a restart)
plans one message. Senders claim only their own kinds and decide, inside the claiming transaction,
whether the message is still wanted (`decide` returns None to cancel it).

Claims and crashes. A claim is a short lease (LEASE) that its holder renews while it works (`Holding`),
so a claim whose process died lapses within LEASE and is taken over by whichever process ticks next,
while a live process never loses one, however long Slack keeps it waiting. The claim's `attempts`
number is its fencing token: renewing, starting to send and recording a failure all check it, so a
process that lost its claim cannot act on the row another one has since taken. We chose leases over
"reclaim what other boot ids hold": a boot id cannot tell a dead process from a live one (a web process
and a clock process run side by side) without a heartbeat, and a renewed lease is that heartbeat, kept
on the rows themselves. Sending is two-phase: `claimed` (taken, certainly not sent) becomes `sending`
(committed just before the call to Slack) so that after a crash only a `sending` row is uncertain and
must be looked up in Slack; the claimed rows behind it in the batch are sent without a lookup.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import Field, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.domain.clock import Clock
from storage.models import Delivery
from storage.uow import UnitOfWork

LEASE = timedelta(seconds=20)  # an unrenewed claim older than this was lost (a crash): another run takes it
RENEW_EVERY = LEASE / 4  # renewals can fail or wait on a busy database three times before a claim lapses
MAX_ATTEMPTS = 8

log = logging.getLogger(__name__)


class Claimable(Protocol):
    """A job built from a delivery row (DeliveryJob, ReminderJob): a frozen dataclass with an `attempt`."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def id(self) -> int: ...

    @property
    def attempt(self) -> int: ...


Job = TypeVar("Job", bound=Claimable)
UowFactory = Callable[[], UnitOfWork]


def plan(uow: UnitOfWork, kind: str, user_id: str, group_id: int, period: str, now: datetime) -> int:
    """Record a message to send (1), or nothing if its natural key is already there (0)."""
    return int(uow.deliveries.add_unique(Delivery(kind=kind, user_id=user_id, group_id=group_id, period=period,
                                                  status="pending", attempts=0, next_attempt_at=now,
                                                  created_at=now)))


def planned(uow: UnitOfWork, kind: str, user_id: str, group_id: int, period: str) -> bool:
    return uow.deliveries.find(kind, user_id, group_id, period) is not None


def claim(uow: UnitOfWork, now: datetime, kinds: Collection[str], limit: int,
          decide: Callable[[Delivery, bool], Job | None]) -> list[Job]:
    """In the caller's open unit of work: take up to `limit` due rows of `kinds` for this process.

    `decide(row, uncertain)` builds the job, or returns None to cancel a message no longer wanted;
    `uncertain` says an earlier claim may have sent it (the caller commits). A batch whose rows were all
    cancelled is followed by the next one, so cancelled rows never hide due ones until the next tick.
    """
    while True:
        rows = uow.deliveries.claim_due(now, limit, kinds)
        jobs = []
        for row in rows:
            uncertain = row.status == "sending"
            job = decide(row, uncertain)
            if job is None:
                row.status, row.lease_until = "cancelled", None
                continue
            attempt = row.attempts + 1
            # An uncertain row stays `sending` until it is looked up: a crash during the lookup leaves it uncertain.
            if uow.deliveries.take(row, now + LEASE, "sending" if uncertain else "claimed"):
                jobs.append(replace(job, attempt=attempt))
        if jobs or not rows:
            return jobs
        uow.session.flush()


def begin_send(uow: UnitOfWork, clock: Clock, job: Claimable) -> bool:
    """Record, before calling Slack, that this claim is sending now; False if the claim was lost meanwhile
    (another process took the row over), and then the caller must not send."""
    with uow:
        ok = uow.deliveries.start_sending(job.id, job.attempt, clock.now() + LEASE)
        uow.commit()
        return ok


def renew(uow: UnitOfWork, clock: Clock, claims: Collection[tuple[int, int]]) -> int:
    """Extend the leases of claims (delivery id, attempt) still held; returns how many were."""
    with uow:
        renewed = uow.deliveries.renew(claims, clock.now() + LEASE)
        uow.commit()
        return renewed


def mark_sent(uow: UnitOfWork, clock: Clock, delivery_id: int, channel_id: str, ts: str) -> None:
    """Slack has the message: recorded whoever holds the claim now, as nothing can make it unsent."""
    with uow:
        d = uow.deliveries.get(delivery_id)
        if d is not None:
            d.status, d.channel_id, d.ts, d.sent_at, d.lease_until = "sent", channel_id, ts, clock.now(), None
            uow.commit()


def mark_failed(uow: UnitOfWork, clock: Clock, delivery_id: int, attempt: int, error: str) -> None:
    """Retry later with back-off (1, 2, 4 ... minutes, at most an hour); give up after MAX_ATTEMPTS.

    Only under the claim that failed: a lost claim's failure must not undo another process's send.
    """
    now = clock.now()
    with uow:
        d = uow.deliveries.get(delivery_id)
        if d is not None and d.attempts == attempt and d.status in ("claimed", "sending"):
            d.status = "failed" if d.attempts < MAX_ATTEMPTS else "abandoned"
            d.next_attempt_at = now + min(timedelta(minutes=2 ** (d.attempts - 1)), timedelta(hours=1))
            d.last_error, d.lease_until = error[:40], None
            uow.commit()


class Holding:
    """The claims one sender holds, kept alive by a background thread until each is `drop`ped.

    A sender that stops (a crash, or an exception out of its loop) stops renewing, and its claims lapse
    within LEASE; one that is merely slow (Slack's rate limits) keeps them.
    """

    def __init__(self, uow: UowFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock
        self._claims: set[tuple[int, int]] = set()
        self._lock = threading.Lock()

    def add(self, jobs: Collection[Claimable]) -> None:
        with self._lock:
            self._claims.update((j.id, j.attempt) for j in jobs)

    def drop(self, job: Claimable) -> None:
        with self._lock:
            self._claims.discard((job.id, job.attempt))

    def renew_now(self) -> None:
        with self._lock:
            claims = frozenset(self._claims)
        if claims:
            try:
                renew(self._uow(), self._clock, claims)
            except SQLAlchemyError as exc:  # the next renewal may succeed; a lapsed claim is fenced anyway
                log.warning("could not renew %d delivery claims: %s", len(claims), type(exc).__name__)

    @contextmanager
    def kept(self) -> Iterator[Holding]:
        stop = threading.Event()

        def keep() -> None:
            while not stop.wait(RENEW_EVERY.total_seconds()):
                self.renew_now()

        keeper = threading.Thread(target=keep, name="delivery-leases", daemon=True)
        keeper.start()
        try:
            yield self
        finally:
            stop.set()
            keeper.join()
