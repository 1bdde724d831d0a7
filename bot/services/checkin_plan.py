"""The weekly check-in from the clock's side: which weeks open, who gets a DM, a reminder or a digest.

Every message is a `Delivery` row with a natural key (kind, user, group, week), inserted in the same
transaction as the decision to send it; the sender claims rows, sends, and marks them sent with Slack's ts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.domain.checkins import Answer, ChannelSummary, DeliveryJob, Digest, recurring_themes
from bot.domain.clock import Clock
from bot.domain.roles import Role
from bot.domain.weeks import send_moment, week_of, zone
from bot.services import deliveries
from storage.models import CheckinWeek, Delivery, Group
from storage.uow import UnitOfWork

CHANNEL_DIGEST = "digest_channel"  # the channel's summary, only for groups that chose it (`/checkin share`)
KINDS = ("checkin", "reminder", "digest", CHANNEL_DIGEST)  # the check-in's deliveries; the sender claims only these


def week_row(uow: UnitOfWork, group_id: int, week: date) -> CheckinWeek:
    row = uow.checkins.week(group_id, week)
    if row is None:
        uow.checkins.add_unique(CheckinWeek(group_id=group_id, week_start=week))
        row = uow.checkins.week(group_id, week)
        assert row is not None
    return row


def open_week(uow: UnitOfWork, group: Group, week: CheckinWeek, at: datetime, now: datetime, reminder_hours: int,
              digest_hours: int) -> int:
    """Plan the week's DMs (managers who are not away and have not answered yet); returns how many are new."""
    if week.opened_at is None:
        week.opened_at = at
        week.reminder_at, week.digest_at = at + timedelta(hours=reminder_hours), at + timedelta(hours=digest_hours)
    answered = {a.user_id for a in uow.checkins.answers(week.id)}
    away = uow.checkins.away(group.id)
    send_day = at.astimezone(zone(group.timezone)).date()
    new = 0
    for m in uow.groups.members(group.id):
        if m.role == Role.MANAGER.value and m.user_id not in answered and away.get(m.user_id, send_day) <= send_day:
            new += _plan(uow, "checkin", m.user_id, group.id, week.week_start, now)
    return new


def _plan(uow: UnitOfWork, kind: str, user_id: str, group_id: int, week: date, now: datetime) -> int:
    return deliveries.plan(uow, kind, user_id, group_id, week.isoformat(), now)


def plan_due(uow: UnitOfWork, clock: Clock) -> int:
    """Open the weeks whose time has come, plan reminders and digests; returns how many deliveries were planned."""
    now, planned = clock.now(), 0
    with uow:
        for schedule in uow.checkins.schedules():
            group = uow.groups.get(schedule.group_id)
            week = week_of(now, schedule.timezone)
            at = send_moment(week, schedule.weekday, time.fromisoformat(schedule.at_time), schedule.timezone)
            late = now >= at + timedelta(hours=schedule.digest_hours)  # after a long outage: let the week go
            if group is None or now < at or at < schedule.active_from or late \
                    or week.isoformat() in schedule.skipped_weeks:
                continue
            row = week_row(uow, group.id, week)
            if row.opened_at is None:
                planned += open_week(uow, group, row, at, now, schedule.reminder_hours, schedule.digest_hours)
        for row in uow.checkins.weeks_to_remind(now):
            planned += _plan_reminders(uow, row, now)
        for row in uow.checkins.weeks_to_digest(now):
            planned += _plan_digests(uow, row, now)
        uow.commit()
    return planned


def _plan_reminders(uow: UnitOfWork, week: CheckinWeek, now: datetime) -> int:
    week.reminders_planned = True
    if week.digest_at is not None and now >= week.digest_at:
        return 0  # the clock was stopped past the window: a reminder now would arrive after the digest
    answered = {a.user_id for a in uow.checkins.answers(week.id)}
    invited = uow.deliveries.for_period(week.group_id, week.week_start.isoformat(), "checkin")
    away = uow.checkins.away(week.group_id)
    today = now.date()
    return sum(_plan(uow, "reminder", d.user_id, week.group_id, week.week_start, now) for d in invited
               if d.user_id not in answered and away.get(d.user_id, today) <= today)


def _plan_digests(uow: UnitOfWork, week: CheckinWeek, now: datetime) -> int:
    """The chairs' digests by DM (names and answers: the chair and co-chairs only) and, if the group chose it,
    a summary for the channel with counts and recurring topics; the week's response rate is kept."""
    group = uow.groups.get(week.group_id)
    assert group is not None
    week.digest_planned = True
    digest = _digest(uow, group, week, for_chairs=True)
    week.invited, week.answered, week.away = digest.total, len(digest.answered), len(digest.away)
    chairs = [m.user_id for m in uow.groups.members(group.id) if Role(m.role).runs_meetings]
    planned = sum(_plan(uow, "digest", u, group.id, week.week_start, now) for u in chairs)
    if group.checkin_share_channel:
        planned += _plan(uow, CHANNEL_DIGEST, group.channel_id, group.id, week.week_start, now)
    return planned


def claim_due(uow: UnitOfWork, clock: Clock, limit: int = 25) -> list[DeliveryJob]:
    """Take up to `limit` due check-in deliveries for this process (others skip them) and mark them as being sent.

    A DM or reminder to someone who has answered since it was planned is dropped instead.
    """
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, KINDS, limit, lambda d, uncertain: _job(uow, d, uncertain))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool) -> DeliveryJob | None:
    group = uow.groups.get(d.group_id)
    week = uow.checkins.week(d.group_id, date.fromisoformat(d.period))
    if group is None or week is None or (d.kind in ("checkin", "reminder")
                                         and uow.checkins.answer(week.id, d.user_id) is not None):
        return None
    if d.kind == CHANNEL_DIGEST and not group.checkin_share_channel:
        return None  # the group stopped sharing after the summary was planned
    return DeliveryJob(d.id, d.kind, d.user_id, d.group_id, group.name, week.week_start, uncertain, week.digest_at,
                       group.timezone, shared=group.checkin_share_channel)


def digest_for(uow: UnitOfWork, *, group_id: int, week: date) -> Digest:
    """The chairs' digest: who answered, who did not, who is away, every answer, recurring topics."""
    with uow:
        group = uow.groups.get(group_id)
        row = uow.checkins.week(group_id, week)
        assert group is not None and row is not None
        return _digest(uow, group, row, for_chairs=True)


def summary_for(uow: UnitOfWork, *, group_id: int, week: date) -> ChannelSummary:
    """The channel's summary: counts, and topics from the answers not marked for the chairs only."""
    with uow:
        group = uow.groups.get(group_id)
        row = uow.checkins.week(group_id, week)
        assert group is not None and row is not None
        shared = _digest(uow, group, row, for_chairs=False)
        return ChannelSummary(group.name, row.week_start, len(shared.answered), shared.total, shared.themes)


def _digest(uow: UnitOfWork, group: Group, week: CheckinWeek, for_chairs: bool) -> Digest:
    answers = {a.user_id: a.answers for a in uow.checkins.answers(week.id)}
    away = uow.checkins.away(group.id)
    send_day = (week.opened_at or datetime.combine(week.week_start, time(), zone(group.timezone))) \
        .astimezone(zone(group.timezone)).date()
    managers = [m.user_id for m in uow.groups.members(group.id) if m.role == Role.MANAGER.value]
    answered = tuple(u for u in managers if u in answers) + tuple(u for u in answers if u not in managers)
    is_away = [u for u in managers if u not in answers and away.get(u, send_day) > send_day]
    shown = tuple(Answer(u, k, v["text"], bool(v.get("chair_only"))) for u in answered
                  for k, v in answers[u].items() if for_chairs or not v.get("chair_only"))
    by_person: dict[str, list[str]] = {}
    for a in shown:
        by_person.setdefault(a.user_id, []).append(a.text)
    return Digest(group.name, week.week_start, for_chairs, answered,
                  tuple(u for u in managers if u not in answers and u not in is_away), tuple(is_away), shown,
                  recurring_themes(by_person), group.checkin_share_channel)
