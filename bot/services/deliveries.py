"""What every scheduled message shares: plan it by natural key, claim it for one process, mark it sent or failed.

A delivery row is inserted in the same transaction as the decision to send it; its natural key
(kind, user or channel, group, period) is unique, so a decision taken twice (two processes, a restart)
plans one message. Senders claim only their own kinds and decide, inside the claiming transaction,
whether the message is still wanted (`decide` returns None to cancel it).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import TypeVar

from bot.domain.clock import Clock
from storage.models import Delivery
from storage.uow import UnitOfWork

LEASE = timedelta(minutes=5)  # a claim older than this was lost (a crash): another run may take it over
MAX_ATTEMPTS = 8

Job = TypeVar("Job")


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
            job = decide(row, row.status == "sending")
            if job is None:
                row.status, row.lease_until = "cancelled", None
            elif uow.deliveries.take(row, now + LEASE):
                jobs.append(job)
        if jobs or not rows:
            return jobs
        uow.session.flush()


def mark_sent(uow: UnitOfWork, clock: Clock, delivery_id: int, channel_id: str, ts: str) -> None:
    with uow:
        d = uow.deliveries.get(delivery_id)
        if d is not None:
            d.status, d.channel_id, d.ts, d.sent_at, d.lease_until = "sent", channel_id, ts, clock.now(), None
            uow.commit()


def mark_failed(uow: UnitOfWork, clock: Clock, delivery_id: int, error: str) -> None:
    """Retry later with back-off (1, 2, 4 ... minutes, at most an hour); give up after MAX_ATTEMPTS."""
    now = clock.now()
    with uow:
        d = uow.deliveries.get(delivery_id)
        if d is not None:
            d.status = "failed" if d.attempts < MAX_ATTEMPTS else "abandoned"
            d.next_attempt_at = now + min(timedelta(minutes=2 ** (d.attempts - 1)), timedelta(hours=1))
            d.last_error, d.lease_until = error[:40], None
            uow.commit()
