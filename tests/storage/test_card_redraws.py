"""The card-redraw bookkeeping in the database (bot/services/redraws.py), as several processes meet it.

Each `uow()` below could be another process: nothing is remembered between the calls but the rows.
The end-to-end proof, two web processes on PostgreSQL, is tests/e2e/test_two_processes.py.
"""

from __future__ import annotations

import pytest

from bot.domain.stages import Slot
from bot.services import groups, meetings, redraws
from storage.db import make_session_factory
from storage.models import StageCard
from storage.uow import UnitOfWork

SETUP = groups.GroupSetup("Southwark CHSG", "my_home_life", "Europe/London", "UCHAIR")


@pytest.fixture
def uow(engine):
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


@pytest.fixture
def card(uow, clock):
    """The check-in card of a running meeting, posted; its slot and meeting id."""
    groups.setup_group(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", setup=SETUP)
    started = meetings.start_meeting(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR",
                                     catalogue={"my_home_life": ("Theme A",)})
    meetings.card_posted(uow(), started.card_id, "100.1")
    return started.state.meeting.id, Slot(started.state.stage)


def row(uow, card_id):
    with uow() as u:
        c = u.session.get(StageCard, card_id)
        return c.redraw_requested, c.redrawn_version, c.redraw_holder


def test_one_asker_redraws_and_others_return_at_once_with_their_ask_counted(uow, clock, card):
    meeting_id, slot = card
    first = redraws.ask(uow(), clock, meeting_id, slot)
    assert first is not None
    assert redraws.ask(uow(), clock, meeting_id, slot) is None  # held: counted, not queued
    drawing = redraws.read(uow(), first, meeting_id, slot)
    assert drawing.shown == 2 and drawing.cards == [("C1", "100.1")]
    assert redraws.drawn(uow(), clock, first, drawing.shown) == "done"
    assert row(uow, first.card_id) == (2, 2, None)


def test_an_ask_during_a_pass_makes_the_holder_draw_again_from_fresher_state(uow, clock, card):
    meeting_id, slot = card
    first = redraws.ask(uow(), clock, meeting_id, slot)
    drawing = redraws.read(uow(), first, meeting_id, slot)
    assert redraws.ask(uow(), clock, meeting_id, slot) is None  # arrives while the pass is at Slack
    assert redraws.drawn(uow(), clock, first, drawing.shown) == "again"
    assert row(uow, first.card_id) == (2, 1, first.holder)  # still held, for the pass it owes
    again = redraws.read(uow(), first, meeting_id, slot)
    assert redraws.drawn(uow(), clock, first, again.shown) == "done"
    assert row(uow, first.card_id) == (2, 2, None)


def test_a_dead_holders_lease_lapses_and_it_cannot_finish_over_the_new_holder(uow, clock, card):
    meeting_id, slot = card
    dead = redraws.ask(uow(), clock, meeting_id, slot)
    stale = redraws.read(uow(), dead, meeting_id, slot)
    clock.advance(seconds=redraws.LEASE.total_seconds() - 1)
    assert redraws.ask(uow(), clock, meeting_id, slot) is None  # the lease still holds
    clock.advance(seconds=2)
    taker = redraws.ask(uow(), clock, meeting_id, slot)
    assert taker is not None and taker.holder != dead.holder
    assert redraws.drawn(uow(), clock, dead, stale.shown) == "lost"  # fenced: records nothing
    assert row(uow, taker.card_id) == (3, 0, taker.holder)
    fresh = redraws.read(uow(), taker, meeting_id, slot)
    assert redraws.drawn(uow(), clock, taker, fresh.shown) == "done"
    assert row(uow, taker.card_id) == (3, 3, None)


def test_a_failed_pass_lets_go_so_the_next_ask_redraws_at_once(uow, clock, card):
    meeting_id, slot = card
    failed = redraws.ask(uow(), clock, meeting_id, slot)
    redraws.give_up(uow(), failed)
    assert redraws.ask(uow(), clock, meeting_id, slot) is not None


def test_a_slot_without_a_card_asks_nothing(uow, clock, card):
    meeting_id, _ = card
    assert redraws.ask(uow(), clock, meeting_id, Slot("themes", "Theme A", "q1")) is None
