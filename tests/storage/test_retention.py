"""The retention run on both databases, on a fake clock: for each kind of record, one day before its boundary
it is kept and one day after it is gone, and what stays (minutes, actions, attendance, the group) still stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from bot.domain.retention import DEFAULTS, Kind
from bot.services.retention import run_retention
from storage.db import make_session_factory
from storage.models import (
    Action,
    ActionUpdate,
    Attendance,
    AuditEntry,
    AwayPeriod,
    CheckinAnswer,
    CheckinAnswerVersion,
    CheckinWeek,
    Contribution,
    Delivery,
    Group,
    Meeting,
    Member,
    Minutes,
    RetentionSetting,
)
from storage.uow import UnitOfWork

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday: the check-in week starts that day


@pytest.fixture
def uow(engine: Any) -> Callable[[], UnitOfWork]:
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


def seed(uow: Callable[[], UnitOfWork], channel: str = "CGROUP", at: datetime = T0) -> int:
    """A group with one of every kind of record, all made at `at`; returns the group's id."""
    with uow() as w:
        s = w.session
        group = Group(team_id="T1", channel_id=channel, name="Group", theme_set="my_home_life",
                      timezone="Europe/London", created_by="UCHAIR", created_at=at)
        s.add(group)
        s.flush()
        s.add(Member(group_id=group.id, user_id="UCHAIR", role="chair", organisation=None, display_name="Sam",
                     joined_at=at))
        meeting = Meeting(group_id=group.id, number=1, status="ended", stage="close", is_follow_up=False,
                          started_by="UCHAIR", started_at=at, ended_at=at + timedelta(hours=2), themes=None)
        s.add(meeting)
        s.flush()
        for stage, text in (("themes", "Residents garden club works well"), ("feedback", "Felt heard")):
            s.add(Contribution(meeting_id=meeting.id, stage=stage, theme=None, question=None, user_id="UCHAIR",
                               text=text, details=None, source="modal", channel_id=None, message_ts=None,
                               view_id=f"V-{stage}-{channel}", created_at=at, updated_at=at))
        s.add(Attendance(meeting_id=meeting.id, user_id="UCHAIR", status="present", organisation=None,
                         feeling="tired but hopeful", recorded_at=at))
        s.add(Minutes(meeting_id=meeting.id, markdown="# Minutes\nResidents garden club works well", created_at=at))
        action = Action(group_id=group.id, number=1, meeting_id=meeting.id, description="Falls workshop",
                        owner_id="UCHAIR", source="modal", created_by="UCHAIR", created_at=at)
        s.add(action)
        s.flush()
        s.add(ActionUpdate(action_id=action.id, author="UCHAIR", old_status="not-started", new_status="done",
                           note="Held it", at=at))
        week = CheckinWeek(group_id=group.id, week_start=at.date(), opened_at=at, invited=1, answered=1, away=0)
        s.add(week)
        s.flush()
        answer = CheckinAnswer(week_id=week.id, user_id="UCHAIR", answers={"working_well": {"text": "Staffing ok"}},
                               created_at=at, updated_at=at)
        s.add(answer)
        s.flush()
        s.add(CheckinAnswerVersion(answer_id=answer.id, version=1, answers=answer.answers, view_id=None,
                                   submitted_at=at))
        for status in ("sent", "pending"):
            s.add(Delivery(kind="checkin" if status == "sent" else "digest", user_id="UCHAIR", group_id=group.id,
                           period=at.date().isoformat(), status=status, next_attempt_at=at, lease_until=None,
                           created_at=at, sent_at=at if status == "sent" else None))
        s.add(AwayPeriod(group_id=group.id, user_id="UCHAIR", until=at.date(), set_at=at))
        w.audit.record(at, "UCHAIR", "group.create", "ok", group.id)
        w.commit()
        return group.id


def count(uow: Callable[[], UnitOfWork], model: Any, **where: Any) -> int:
    with uow() as w:
        return int(w.session.scalar(select(func.count()).select_from(model).filter_by(**where)) or 0)


def keep_alive(uow: Callable[[], UnitOfWork], group_id: int, at: datetime) -> None:
    """The chair does something in the group, so the group itself is not idle."""
    with uow() as w:
        w.audit.record(at, "UCHAIR", "group.role", "ok", group_id)
        w.commit()


def contributions(stage: str) -> Callable[[Callable[[], UnitOfWork]], int]:
    return lambda uow: count(uow, Contribution, stage=stage)


def feelings(uow: Callable[[], UnitOfWork]) -> int:
    with uow() as w:
        return int(w.session.scalar(select(func.count()).select_from(Attendance)
                                    .where(Attendance.feeling.is_not(None))) or 0)


# kind -> what of it the run deletes, counted
KINDS: dict[Kind, list[Callable[[Callable[[], UnitOfWork]], int]]] = {
    Kind.CHECKINS: [lambda u: count(u, CheckinAnswer), lambda u: count(u, CheckinAnswerVersion)],
    Kind.CONTRIBUTIONS: [contributions("themes"), feelings],
    Kind.FEEDBACK: [contributions("feedback")],
    Kind.DELIVERIES: [lambda u: count(u, Delivery, status="sent"), lambda u: count(u, AwayPeriod)],
    Kind.AUDIT: [lambda u: count(u, AuditEntry, action="group.create")],
}


# rows the run reports for each kind: an answer (its versions go with it), a theme answer and a check-in
# feeling, a feedback, a sent delivery and an ended away period, an audit entry
ROWS = {Kind.CHECKINS: 1, Kind.CONTRIBUTIONS: 2, Kind.FEEDBACK: 1, Kind.DELIVERIES: 2, Kind.AUDIT: 1}


def stays(uow: Callable[[], UnitOfWork]) -> None:
    """The group's record outlives every per-record kind: it goes only with the group."""
    for model in (Group, Member, Meeting, Minutes, Action, ActionUpdate, Attendance, CheckinWeek):
        assert count(uow, model) == 1, model.__name__
    assert count(uow, Delivery, status="pending") == 1  # may still be sent: never deleted


@pytest.mark.parametrize("kind", list(KINDS), ids=[k.value for k in KINDS])
def test_each_kind_is_kept_a_day_before_its_boundary_and_gone_a_day_after(uow, clock, kind: Kind) -> None:
    group_id = seed(uow)
    boundary = T0 + relativedelta(months=DEFAULTS[kind])
    clock.current = boundary - timedelta(days=1)
    keep_alive(uow, group_id, clock.now())
    run_retention(uow, clock)
    assert [n(uow) for n in KINDS[kind]] == [1] * len(KINDS[kind])
    clock.advance(days=2)
    run = run_retention(uow, clock)
    assert [n(uow) for n in KINDS[kind]] == [0] * len(KINDS[kind])
    assert run.deleted[kind.value] == ROWS[kind]
    stays(uow)
    with uow() as w:
        stored = w.session.scalar(select(Minutes.markdown))
    assert stored is not None and "garden club" in stored  # the minutes as published are the record


def test_a_group_idle_past_its_period_goes_with_everything_of_it_and_an_active_one_stays(uow, clock) -> None:
    idle = seed(uow, "CIDLE")
    active = seed(uow, "CACTIVE")
    boundary = T0 + relativedelta(months=DEFAULTS[Kind.GROUP])
    clock.current = boundary - timedelta(days=1)
    keep_alive(uow, active, clock.now())
    run_retention(uow, clock)
    assert count(uow, Group, id=idle) == 1
    clock.advance(days=2)
    run = run_retention(uow, clock)
    assert run.deleted[Kind.GROUP.value] == 1
    assert count(uow, Group) == 1 and count(uow, Group, id=active) == 1
    for model in (Member, Meeting, Minutes, Action, ActionUpdate, Attendance, CheckinWeek, Delivery, Contribution):
        with uow() as w:
            owners = {_group_of(w, row) for row in w.session.scalars(select(model))}
        assert idle not in owners, model.__name__
        assert model in (Delivery, Contribution) or owners == {active}, model.__name__  # the record stays
    # What happened stays in the audit log (no member text), under the audit schedule.
    with uow() as w:
        gone = w.session.execute(select(AuditEntry.actor).filter_by(group_id=idle,
                                                                    action="retention.group_deleted")).scalars().all()
    assert gone == ["retention"]


def _group_of(w: UnitOfWork, row: Any) -> int:
    if hasattr(row, "group_id"):
        return int(row.group_id)
    if isinstance(row, ActionUpdate):
        return int(w.session.get(Action, row.action_id).group_id)  # type: ignore[union-attr]
    return int(w.session.get(Meeting, row.meeting_id).group_id)  # type: ignore[union-attr]


def test_a_groups_own_setting_is_honoured_and_others_keep_the_default(uow, clock) -> None:
    short = seed(uow, "CSHORT")
    default = seed(uow, "CDEFAULT")
    with uow() as w:
        w.retention.put(short, Kind.CONTRIBUTIONS.value, 6, "UCHAIR", T0)
        w.commit()
    clock.current = T0 + relativedelta(months=6) + timedelta(days=1)
    run_retention(uow, clock)
    with uow() as w:
        left = w.session.execute(select(Meeting.group_id).join(Contribution, Contribution.meeting_id == Meeting.id)
                                 .where(Contribution.stage == "themes")).scalars().all()
    assert left == [default]
    assert count(uow, Contribution, stage="feedback") == 2  # feedback has its own period
    assert count(uow, RetentionSetting) == 1


def test_the_run_works_in_batches_and_audits_counts_without_text(uow, clock) -> None:
    group_id = seed(uow)
    with uow() as w:
        meeting = w.session.scalar(select(Meeting))
        assert meeting is not None
        for i in range(7):
            w.session.add(Contribution(meeting_id=meeting.id, stage="themes", theme=None, question=None,
                                       user_id="UCHAIR", text=f"secret words {i}", details=None, source="thread",
                                       channel_id="CGROUP", message_ts=f"1.{i}", view_id=None, created_at=T0,
                                       updated_at=T0))
        w.commit()
    clock.current = T0 + relativedelta(months=24) + timedelta(days=1)
    keep_alive(uow, group_id, clock.now())
    run = run_retention(uow, clock, batch=3)
    assert run.deleted[Kind.CONTRIBUTIONS.value] == 8 + 1  # eight theme answers and one check-in feeling
    assert count(uow, Contribution) == 0
    with uow() as w:
        actor, group, detail = w.session.execute(select(AuditEntry.actor, AuditEntry.group_id, AuditEntry.detail)
                                                 .filter_by(action="retention.run")).one()
    assert actor == "retention" and group is None
    assert detail["deleted"][Kind.CONTRIBUTIONS.value] == 9 and "secret" not in str(detail)


def test_check_in_answers_follow_the_week_they_answer(uow, clock) -> None:
    seed(uow)
    assert T0.date() == date(2026, 11, 23) and T0.weekday() == 0
    clock.current = T0 + relativedelta(months=12) + timedelta(days=1)
    run_retention(uow, clock)
    assert count(uow, CheckinAnswer) == 0 and count(uow, CheckinWeek, answered=1) == 1  # the rate stays


def test_deployment_defaults_come_from_the_environment_within_the_same_bounds() -> None:
    from bot.settings import Settings

    settings = Settings.from_env({"RETENTION_CHECKINS_MONTHS": "6", "RETENTION_GROUP_MONTHS": "36"})
    assert settings.retention[Kind.CHECKINS] == 6 and settings.retention[Kind.GROUP] == 36
    assert settings.retention[Kind.AUDIT] == DEFAULTS[Kind.AUDIT]
    for bad in ({"RETENTION_AUDIT_MONTHS": "3"}, {"RETENTION_FEEDBACK_MONTHS": "two"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Settings.from_env(bad)
