"""Reminders between meetings (§4) from the clock's side: decide which are due, record them, claim them to send.

Each reminder is a `Delivery` row keyed (kind, owner or channel, group, period), inserted in the same
transaction as the decision, so it is planned once whatever the number of ticks, restarts or scheduler
processes. Periods: `A<action id>:<due date>` (due soon), `A<action id>:<due date>:<n>` (the n-th
overdue one), and the meeting's UTC time for the report-back DMs and the agenda. When a row is claimed
the decision is checked again: an action done or dropped since, a new due date, or a meeting moved or
already started cancels it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain import stages
from bot.domain.action_status import Status
from bot.domain.clock import Clock
from bot.domain.erased import is_erased
from bot.domain.reminders import (
    DUE_SOON_DAYS,
    KINDS,
    OVERDUE_EVERY_DAYS,
    OVERDUE_MAX,
    Agenda,
    Due,
    Kind,
    ReminderJob,
    action_period,
    action_reminder,
    meeting_period,
    meeting_reminders,
    parse_action_period,
)
from bot.services import deliveries
from bot.services.meetings import Catalogue
from bot.services.stage_state import action_snap
from storage.models import Delivery, Group
from storage.uow import UnitOfWork

# Open actions whose due date is within these days of today (UTC) may have a reminder due; a day more on
# each side covers every time zone.
LOOK_BACK = timedelta(days=1 + OVERDUE_EVERY_DAYS * OVERDUE_MAX + 1)
LOOK_AHEAD = timedelta(days=DUE_SOON_DAYS + 1)


def plan_due(uow: UnitOfWork, clock: Clock) -> int:
    """Record every reminder due now and not yet recorded; returns how many were planned."""
    now = clock.now()
    with uow:
        planned = _plan_actions(uow, now) + _plan_meetings(uow, now)
        uow.commit()
    return planned


def _plan_actions(uow: UnitOfWork, now: datetime) -> int:
    planned = 0
    today = now.date()
    for action, group in uow.reminders.open_actions_due_between(today - LOOK_BACK, today + LOOK_AHEAD):
        assert action.due_date is not None
        due = action_reminder(action.due_date, group.timezone, now)
        if due is None:
            continue
        period = action_period(action.id, action.due_date, due.number)
        if is_erased(action.owner_id):  # a former member's action: unassigned, nobody to remind
            continue
        if deliveries.planned(uow, due.kind, action.owner_id, group.id, period):
            continue
        if due.known_in_time(uow.reminders.due_set_at(action)):
            planned += deliveries.plan(uow, due.kind, action.owner_id, group.id, period, now)
    return planned


def _plan_meetings(uow: UnitOfWork, now: datetime) -> int:
    planned = 0
    for group in uow.reminders.groups_meeting_after(now):
        assert group.next_meeting_at is not None
        period = meeting_period(group.next_meeting_at)
        for due in meeting_reminders(group.next_meeting_at, group.timezone, now):
            if not due.known_in_time(group.next_meeting_set_at):
                continue
            for to in _recipients(uow, group, due):
                if not deliveries.planned(uow, due.kind, to, group.id, period):
                    planned += deliveries.plan(uow, due.kind, to, group.id, period, now)
    return planned


def _recipients(uow: UnitOfWork, group: Group, due: Due) -> list[str]:
    if due.kind is Kind.MEETING_EVE:
        return [group.channel_id]
    owners = (a.owner_id for a in uow.reminders.open_actions(group.id))
    return list(dict.fromkeys(o for o in owners if not is_erased(o)))  # a former member's: nobody to tell


def claim_due(uow: UnitOfWork, clock: Clock, catalogue: Catalogue, limit: int = 25) -> list[ReminderJob]:
    """Take up to `limit` due reminders for this process (others skip them), with what each will say.

    A reminder no longer wanted is cancelled instead: its action done or dropped, or given a new due
    date; an owner with no open action left; a meeting moved, or already started.
    """
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, KINDS, limit,
                                lambda d, uncertain: _job(uow, d, uncertain, now, catalogue))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool, now: datetime, catalogue: Catalogue) -> ReminderJob | None:
    group = uow.groups.get(d.group_id)
    if group is None:
        return None
    kind = Kind(d.kind)
    base = ReminderJob(d.id, kind, d.user_id, group.id, group.name, group.timezone, uncertain)
    if kind in (Kind.ACTION_DUE, Kind.ACTION_OVERDUE):
        return _action_job(uow, base, d.period, now)
    meeting_at = group.next_meeting_at
    if meeting_at is None or meeting_period(meeting_at) != d.period or now >= meeting_at:
        return None
    open_actions = uow.reminders.open_actions(group.id, None if kind is Kind.MEETING_EVE else d.user_id)
    if kind is Kind.REPORT_BACK:
        if not open_actions:
            return None
        return replace(base, actions=tuple(action_snap(a) for a in open_actions), meeting_at=meeting_at)
    held = uow.meetings.count(group.id)
    follow_up = held > 0
    agenda = Agenda(held + 1, follow_up, tuple(s.key.value for s in stages.plan(follow_up)),
                    tuple(catalogue.get(group.theme_set, ())), len(open_actions))
    return replace(base, meeting_at=meeting_at, agenda=agenda)


def _action_job(uow: UnitOfWork, base: ReminderJob, period: str, now: datetime) -> ReminderJob | None:
    action_id, due_date, number = parse_action_period(period)
    action = uow.actions.get(action_id)
    if action is None or action.due_date != due_date or action.owner_id != base.to \
            or not Status(action.status).open:
        return None
    still = action_reminder(due_date, base.timezone, now)  # a retry after its window is no use any more
    if still is None or still.kind is not base.kind or still.number != number:
        return None
    return replace(base, actions=(action_snap(action),), overdue_number=number or 0)
