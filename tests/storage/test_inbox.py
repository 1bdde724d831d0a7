"""The inbox on both databases: stored once, settled with the first write, exactly once across 'processes'."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services import inbox
from storage.db import make_session_factory
from storage.models import AuditEntry, InboxItem
from storage.uow import UnitOfWork


@pytest.fixture
def uow(engine):
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


def receive(uow, clock, key="event:Ev1"):
    return inbox.receive(uow(), clock, key=key, kind="event", content_type="application/json", body=b'{"a": 1}')


def write_audit(uow, clock, actor: str) -> None:
    """A stand-in for a listener's first write (any table will do)."""
    with uow() as u:
        u.audit.record(clock.now(), actor, "test", "ok", None)
        u.commit()


def audits(uow, actor: str) -> int:
    with uow() as u:
        return int(u.session.scalar(select(func.count()).select_from(AuditEntry).filter_by(actor=actor)) or 0)


def item(uow, inbox_id: int) -> InboxItem:
    with uow() as u:
        found = u.session.get(InboxItem, inbox_id)
        assert found is not None
        u.session.expunge(found)  # loaded, then read after the session closes
        return found


def test_the_same_request_is_stored_once(uow, clock):
    first = receive(uow, clock)
    assert first is not None
    assert receive(uow, clock) is None
    assert item(uow, first).body == b'{"a": 1}' and item(uow, first).handled_at is None


def test_sixteen_simultaneous_copies_store_one_request(uow, clock):
    barrier = threading.Barrier(16)
    results: list[int | None] = []

    def one() -> None:
        barrier.wait()
        results.append(receive(uow, clock, key="event:EvSame"))

    threads = [threading.Thread(target=one) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([r for r in results if r is not None]) == 1


def test_the_first_write_settles_the_request_and_forgets_its_body(uow, clock):
    inbox_id = receive(uow, clock)
    ticket = inbox.ticket_for(inbox_id, clock)
    with inbox.handling(ticket):
        write_audit(uow, clock, "UFIRST")
        write_audit(uow, clock, "USECOND")  # later writes of the same request are ordinary commits
    assert ticket is not None and ticket.settled
    settled = item(uow, inbox_id)
    assert settled.handled_at == clock.now() and settled.body is None
    assert audits(uow, "UFIRST") == 1 and audits(uow, "USECOND") == 1


def test_a_second_attempt_at_a_handled_request_writes_nothing(uow, clock):
    inbox_id = receive(uow, clock)
    with inbox.handling(inbox.ticket_for(inbox_id, clock)):
        write_audit(uow, clock, "UFIRST")
    with pytest.raises(inbox.AlreadyHandled), inbox.handling(inbox.ticket_for(inbox_id, clock)):
        write_audit(uow, clock, "UFIRST")
    assert audits(uow, "UFIRST") == 1


def test_reads_do_not_settle_a_request_and_finish_does(uow, clock):
    inbox_id = receive(uow, clock)
    ticket = inbox.ticket_for(inbox_id, clock)
    with inbox.handling(ticket), uow() as u:
        u.session.get(InboxItem, inbox_id)
        u.commit()  # a commit with nothing written is not the request's write
    assert item(uow, inbox_id).handled_at is None
    inbox.finish(uow(), clock, ticket)
    assert item(uow, inbox_id).handled_at is not None


def test_stranded_requests_are_claimed_once_and_set_aside_after_three_attempts(uow, clock):
    inbox_id = receive(uow, clock)
    clock.advance(minutes=5)
    for attempt in range(inbox.MAX_ATTEMPTS):
        found = inbox.stranded(uow(), clock, received_before=clock.now())
        assert [s.inbox_id for s in found] == [inbox_id], f"attempt {attempt}"
        assert inbox.stranded(uow(), clock, received_before=clock.now() - timedelta(minutes=10)) == []
    assert inbox.stranded(uow(), clock, received_before=clock.now()) == []  # set aside: it keeps killing us
    assert item(uow, inbox_id).handled_at is not None and item(uow, inbox_id).body is None


def test_handled_keys_are_forgotten_after_two_days(uow, clock):
    inbox_id = receive(uow, clock)
    inbox.finish(uow(), clock, inbox.ticket_for(inbox_id, clock))
    pending = receive(uow, clock, key="event:Ev2")
    clock.advance(days=3)
    assert inbox.forget_handled(uow(), clock) == 1
    assert receive(uow, clock) is not None  # the old key is free again
    assert item(uow, pending).handled_at is None  # unhandled requests are never dropped by age
