"""The inbox's queries, and the ticket that ties a request's first write to marking the request handled.

A request is handled exactly once because the transaction that first writes anything on its behalf
also marks its inbox row handled, with a compare-and-set: if a second process (a replay after a crash
of the first, say) got there first, the write is rolled back instead of made twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import InboxItem


class AlreadyHandled(Exception):
    """Another process handled this request first; whatever this one was about to write is dropped."""


@dataclass
class Ticket:
    """The request being handled in this thread: its inbox row, and whether that row is settled yet."""

    inbox_id: int
    now: Callable[[], datetime]
    settled: bool = False


current_ticket: ContextVar[Ticket | None] = ContextVar("current_ticket", default=None)


class Inbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def receive(self, key: str, kind: str, content_type: str, body: bytes, at: datetime) -> int | None:
        """Store a request; None when one with the same key is already stored (a repeated delivery)."""
        if self.session.scalar(select(InboxItem.id).filter_by(key=key)) is not None:
            return None
        item = InboxItem(key=key, kind=kind, content_type=content_type, body=body, received_at=at)
        try:
            with self.session.begin_nested():
                self.session.add(item)
        except IntegrityError:  # the same request arrived twice at once; the other copy is stored
            return None
        return item.id

    def settle(self, inbox_id: int, at: datetime) -> bool:
        """Mark handled (and forget the body) in the current transaction; False if already handled."""
        result: Any = self.session.execute(
            update(InboxItem).where(InboxItem.id == inbox_id, InboxItem.handled_at.is_(None))
            .values(handled_at=at, body=None).execution_options(synchronize_session=False))
        return bool(result.rowcount)

    def unhandled(self, received_before: datetime, limit: int) -> Sequence[InboxItem]:
        q = (select(InboxItem).where(InboxItem.handled_at.is_(None), InboxItem.received_at < received_before)
             .order_by(InboxItem.id).limit(limit))
        return self.session.scalars(q).all()

    def claim_attempt(self, inbox_id: int, attempts: int) -> bool:
        """Count one more attempt at a stranded request; False if another process claimed it first."""
        result: Any = self.session.execute(
            update(InboxItem).where(InboxItem.id == inbox_id, InboxItem.handled_at.is_(None),
                                    InboxItem.attempts == attempts)
            .values(attempts=attempts + 1).execution_options(synchronize_session=False))
        return bool(result.rowcount)

    def forget_handled(self, handled_before: datetime) -> int:
        """Keys of handled requests are kept a while to recognise Slack's retries, then deleted."""
        result: Any = self.session.execute(
            delete(InboxItem).where(InboxItem.handled_at.is_not(None), InboxItem.handled_at < handled_before))
        return int(result.rowcount or 0)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    session.info["wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_writes(session: Session) -> None:
    session.info.pop("wrote", None)


def wrote(session: Session) -> bool:
    """Whether the session's transaction changes anything (flushed, pending, or a bulk statement)."""
    return bool(session.info.get("wrote") or session.new or session.dirty or session.deleted)
