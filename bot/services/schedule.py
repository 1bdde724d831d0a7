"""`/meeting schedule <when>`: the chair sets (or moves) the group's next meeting; reminders key on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.clock import Clock
from bot.domain.errors import BadInput
from bot.domain.reminders import EVE_DAYS, REPORT_BACK_DAYS, is_next_meeting, meeting_label, meeting_moment
from bot.domain.when import is_past, parse_moment
from bot.services.common import require_chair, require_group
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Scheduled:
    """The next meeting as set, what it replaced, and when its reminders will go (None: too late for one)."""

    group: str
    timezone: str
    at: datetime  # UTC
    previous: datetime | None  # the date it replaces, if one was set and still to come
    report_back_at: datetime | None
    eve_at: datetime | None
    running_meeting: int | None  # the meeting running now (its record shows the next meeting too)


def schedule_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                     text: str) -> Scheduled:
    """Chair only. The text is read in the group's time zone (bot.domain.when); a past moment is refused.

    A meeting running now gets the date too, so its minutes show it. Rescheduling replaces the date;
    the reminders follow the new one (their keys include the meeting's time).
    """
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "meeting.schedule", now)
        if not text.strip():
            raise BadInput("schedule_usage")
        try:
            local = parse_moment(text, group.timezone, now)
        except BadInput as exc:
            if exc.code != "date_unparseable":
                raise
            raise BadInput("schedule_unparseable", given=text.strip()) from exc
        if is_past(local, group.timezone, now):
            raise BadInput("schedule_past", given=text.strip(), when=meeting_label(local, group.timezone))
        at, old = local.astimezone(UTC), group.next_meeting_at
        running = uow.meetings.running(group.id)
        # What it replaces: a date still to come, and not the meeting running now (started early).
        if running is not None:
            previous = old if is_next_meeting(old, running.started_at, now) else None
        else:
            previous = old if old is not None and old > now else None
        group.next_meeting_at, group.next_meeting_set_by, group.next_meeting_set_at = at, actor, now
        if running is not None:
            running.next_meeting_at = at
        uow.audit.record(now, actor, "meeting.schedule", "ok", group.id, meeting_at=at.isoformat(),
                         previous=previous.isoformat() if previous else None)
        uow.commit()
        report_back, eve = (meeting_moment(at, group.timezone, days) for days in (REPORT_BACK_DAYS, EVE_DAYS))
        return Scheduled(group.name, group.timezone, at, previous, report_back if report_back >= now else None,
                         eve if eve >= now else None, running.id if running else None)
