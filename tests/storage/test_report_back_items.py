"""Which actions a follow-up meeting reports back on, and which updates count (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.domain.errors import BadInput
from bot.services import groups, meetings
from bot.services.stage_state import report_items
from storage.db import make_session_factory
from storage.models import Action, ActionUpdate
from storage.uow import UnitOfWork

SETUP = groups.GroupSetup("Southwark CHSG", "my_home_life", "Europe/London", "UCHAIR")
WHERE = dict(team_id="T1", channel_id="C1", actor="UCHAIR")


@pytest.fixture
def uow(engine):
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


def add_action(uow, clock, number: int, status: str = "not-started", meeting_id: int | None = None) -> int:
    with uow() as u:
        group = u.groups.by_channel("T1", "C1")
        row = u.actions.add(Action(group_id=group.id, number=number, meeting_id=meeting_id,
                                   description=f"Action {number}", owner_id="UOWNER", status=status,
                                   source="command", created_by="UCHAIR", created_at=clock.now()))
        u.commit()
        return row.id


def report(uow, clock, action_id: int, status: str, note: str) -> None:
    with uow() as u:
        action = u.actions.get(action_id)
        u.actions.add(ActionUpdate(action_id=action_id, author="UOWNER", old_status=action.status, new_status=status,
                                   note=note, at=clock.now()))
        action.status = status
        u.commit()


def items(uow, meeting_id: int) -> dict[str, tuple[str, ...]]:
    with uow() as u:
        return {i.action.ref: tuple(x.note or "" for x in i.updates)
                for i in report_items(u, u.meetings.get(meeting_id))}


def test_open_and_recently_closed_actions_are_listed_with_the_updates_since_the_last_meeting(uow, clock):
    groups.setup_group(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", setup=SETUP)
    first = meetings.start_meeting(uow(), clock, catalogue={}, **WHERE).state.meeting
    a1 = add_action(uow, clock, 1, meeting_id=first.id)
    a2 = add_action(uow, clock, 2, meeting_id=first.id)
    a3 = add_action(uow, clock, 3, meeting_id=first.id)
    report(uow, clock, a3, "done", "finished in the meeting")  # closed before the first meeting ended
    report(uow, clock, a1, "in-progress", "started in the meeting")
    clock.advance(hours=2)
    meetings.end_meeting(uow(), clock, **WHERE)

    clock.advance(days=10)
    report(uow, clock, a2, "dropped", "no longer needed")  # closed between meetings: still reported
    add_action(uow, clock, 4)  # added between meetings with /actions add: open, so listed
    clock.advance(days=10)
    second = meetings.start_meeting(uow(), clock, catalogue={}, **WHERE).state.meeting
    add_action(uow, clock, 5, meeting_id=second.id)  # agreed in this meeting: not up for report back
    clock.advance(minutes=30)
    report(uow, clock, a1, "done", "finished at last")

    assert items(uow, second.id) == {"A-1": ("finished at last",), "A-2": ("no longer needed",), "A-4": ()}

    clock.advance(hours=1)
    meetings.end_meeting(uow(), clock, **WHERE)
    clock.advance(days=1)
    report(uow, clock, a1, "in-progress", "reopened after the meeting")  # after the end: not in its record
    assert items(uow, second.id)["A-1"] == ("finished at last",)


def test_the_report_back_stage_is_only_in_follow_up_meetings(uow, clock):
    groups.setup_group(uow(), clock, team_id="T1", channel_id="C1", actor="UCHAIR", setup=SETUP)
    meetings.start_meeting(uow(), clock, catalogue={}, **WHERE)
    with pytest.raises(BadInput) as refused:
        meetings.move_meeting(uow(), clock, how="goto", target="report back", **WHERE)
    assert refused.value.code == "unknown_stage" and "report_back" not in refused.value.params["stages"]
    meetings.end_meeting(uow(), clock, **WHERE)
    clock.advance(days=28)
    meetings.start_meeting(uow(), clock, catalogue={}, **WHERE)
    moved = meetings.move_meeting(uow(), clock, how="goto", target="report back", **WHERE)
    assert moved.state.stage == "report_back" and moved.state.report_items == () and moved.followers == ()
