"""Durable before acknowledged: every request is stored before Slack hears back, and handled once.

The front of the app stores each request (`receive`) and commits before bolt acknowledges it. While a
listener works, a `Ticket` for the request is current in its thread: the first transaction that
writes anything also marks the request handled (storage/uow.py), and `finish` marks requests that
wrote nothing. A request whose process died in between stays unhandled; the next process finds it
(`stranded`) and handles it again. Whatever the first attempt already wrote makes the second back
out (`AlreadyHandled`), so nothing is lost and nothing is done twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError

from bot.domain.clock import Clock
from storage.inbox import AlreadyHandled, Ticket, current_ticket
from storage.uow import UnitOfWork

__all__ = ["AlreadyHandled", "NotStored", "Stranded", "Ticket", "finish", "forget_handled", "handling", "receive",
           "stranded", "ticket_for"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a request that killed its process three times is set aside, not retried forever
HANDLED_KEPT_DAYS = 2  # long enough to recognise every retry Slack makes (the last comes ~5 minutes on)


@dataclass(frozen=True)
class Stranded:
    """A request a process received and acknowledged but died before handling."""

    inbox_id: int
    content_type: str
    body: bytes


class NotStored(Exception):
    """The database did not take the request: it must not be acknowledged as if it had."""


def receive(uow: UnitOfWork, clock: Clock, *, key: str, kind: str, content_type: str, body: bytes) -> int | None:
    """Store a request and commit; None if the same request (same key) was stored before."""
    try:
        with uow:
            inbox_id = uow.inbox.receive(key, kind, content_type, body, clock.now())
            uow.commit()
            return inbox_id
    except DBAPIError as error:  # the database is down, full or locked past its timeout
        raise NotStored(type(error.orig).__name__ if error.orig is not None else "database error") from error


def ticket_for(inbox_id: int | None, clock: Clock) -> Ticket | None:
    return None if inbox_id is None else Ticket(inbox_id, clock.now)


@contextmanager
def handling(ticket: Ticket | None) -> Iterator[None]:
    """Make the request current in this thread while its listener runs (see storage/uow.py)."""
    token = current_ticket.set(ticket)
    try:
        yield
    finally:
        current_ticket.reset(token)


def finish(uow: UnitOfWork, clock: Clock, ticket: Ticket | None) -> None:
    """Mark a request handled if nothing it did has yet (a refusal, a read, an error).

    Call it outside `handling`: its own commit is not one of the request's writes.
    """
    if ticket is None or ticket.settled:
        return
    with uow:
        uow.inbox.settle(ticket.inbox_id, clock.now())
        uow.commit()
    ticket.settled = True


def stranded(uow: UnitOfWork, clock: Clock, *, received_before: datetime, limit: int = 200) -> list[Stranded]:
    """Requests received before `received_before` and never handled, each claimed for one more attempt.

    The claim is a compare-and-set on the attempt count, so two processes starting at once do not both
    take the same request; one that has failed MAX_ATTEMPTS times is marked handled and logged (by id
    only: its body is what a person wrote).
    """
    found: list[Stranded] = []
    with uow:
        for item in uow.inbox.unhandled(received_before, limit):
            if item.attempts >= MAX_ATTEMPTS or item.body is None:
                uow.inbox.settle(item.id, clock.now())
                log.error("request set aside after %d attempts: inbox id %d (%s)", item.attempts, item.id, item.kind)
            elif uow.inbox.claim_attempt(item.id, item.attempts):
                found.append(Stranded(item.id, item.content_type, item.body))
        uow.commit()
    return found


def forget_handled(uow: UnitOfWork, clock: Clock) -> int:
    """Drop the keys of requests handled long ago (their bodies went when they were handled)."""
    with uow:
        gone = uow.inbox.forget_handled(clock.now() - timedelta(days=HANDLED_KEPT_DAYS))
        uow.commit()
        return gone
