"""The weekly check-in from people's side: the chair's schedule, a manager's answers, who has answered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.domain.checkins import MAX_ANSWER, CheckinForm, Saved, ScheduleInfo, WeekStatus
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.roles import Role
from bot.domain.weeks import send_moment, week_of, zone
from bot.domain.when import parse_day
from bot.services.checkin_plan import open_week, week_row
from bot.services.common import require_chair, require_group
from storage.models import AwayPeriod, CheckinAnswer, CheckinAnswerVersion, CheckinSchedule, Group
from storage.uow import UnitOfWork

DEFAULT_REMINDER_HOURS, DEFAULT_DIGEST_HOURS = 24, 48


def set_schedule(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, weekday: int,
                 at: time, tz: str | None) -> ScheduleInfo:
    """Set (or change) when the group's check-in goes out; returns the group's name and the schedule."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "checkin.schedule", now)
        tz = tz or group.timezone
        zone(tz)  # an unknown zone is refused before anything is written
        schedule = uow.checkins.schedule(group.id) or uow.checkins.add(CheckinSchedule(
            group_id=group.id, weekday=weekday, at_time="", timezone=tz, paused=False, skipped_weeks=[],
            reminder_hours=DEFAULT_REMINDER_HOURS, digest_hours=DEFAULT_DIGEST_HOURS, active_from=now,
            updated_by=actor, updated_at=now))
        schedule.weekday, schedule.at_time, schedule.timezone = weekday, at.strftime("%H:%M"), tz
        schedule.paused, schedule.active_from, schedule.updated_by, schedule.updated_at = False, now, actor, now
        uow.audit.record(now, actor, "checkin.schedule", "ok", group.id, weekday=weekday, time=schedule.at_time, tz=tz)
        uow.commit()
        return _info(group, schedule, now)


def _info(group: Group, s: CheckinSchedule, now: datetime) -> ScheduleInfo:
    return ScheduleInfo(group.name, s.weekday, s.at_time, s.timezone, s.paused,
                        None if s.paused else next_send(s, now), s.reminder_hours, s.digest_hours)


def next_send(schedule: CheckinSchedule, now: datetime) -> datetime:
    """The next moment the clock will send a check-in (skipped weeks left out)."""
    week = week_of(now, schedule.timezone)
    for _ in range(60):
        at = send_moment(week, schedule.weekday, time.fromisoformat(schedule.at_time), schedule.timezone)
        if at >= now and week.isoformat() not in schedule.skipped_weeks:
            return at
        week += timedelta(days=7)
    return at


def change_schedule(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, how: str,
                    day_text: str | None = None) -> tuple[ScheduleInfo, date | None]:
    """`pause`, `resume` or `skip` (the week containing the day typed); returns the schedule and the week skipped."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, f"checkin.{how}", now)
        schedule = uow.checkins.schedule(group.id)
        if schedule is None:
            raise DomainError("checkin_no_schedule")
        week = week_of(parse_day(day_text, group.timezone, now), group.timezone) if day_text else None
        if week is not None:
            schedule.skipped_weeks = sorted({*schedule.skipped_weeks, week.isoformat()})
        else:
            schedule.paused = how == "pause"
            # Resuming does not send the weeks missed while paused, only the ones from now on.
            schedule.active_from = now if how == "resume" else schedule.active_from
        schedule.updated_by, schedule.updated_at = actor, now
        uow.audit.record(now, actor, f"checkin.{how}", "ok", group.id, week=week.isoformat() if week else None)
        uow.commit()
        return _info(group, schedule, now), week


def send_now(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> tuple[date, int]:
    """Send this week's check-in now; (week, how many new DMs): 0 when everyone already had it."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "checkin.send", now)
        if not [m for m in uow.groups.members(group.id) if m.role == Role.MANAGER.value]:
            raise BadInput("checkin_no_managers")
        schedule = uow.checkins.schedule(group.id)
        week = week_row(uow, group.id, week_of(now, group.timezone))
        hours = (schedule.reminder_hours, schedule.digest_hours) if schedule else (DEFAULT_REMINDER_HOURS,
                                                                                   DEFAULT_DIGEST_HOURS)
        planned = open_week(uow, group, week, now, now, *hours)
        uow.audit.record(now, actor, "checkin.send", "ok", group.id, week=week.week_start.isoformat(), new=planned)
        uow.commit()
        return week.week_start, planned


def set_away(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, user_id: str,
             until_text: str | None) -> date | None:
    """Away until the day typed (None: back) in this channel's group, or in every group where they manage a home."""
    now = clock.now()
    with uow:
        groups = _managed_groups(uow, team_id, channel_id, user_id)
        until = parse_day(until_text, groups[0].timezone, now) if until_text else None
        for group in groups:
            row = uow.checkins.away_row(group.id, user_id)
            if until is None and row is not None:
                uow.session.delete(row)
            elif until is not None:
                row = row or uow.checkins.add(AwayPeriod(group_id=group.id, user_id=user_id, until=until, set_at=now))
                row.until, row.set_at = until, now
            uow.audit.record(now, user_id, "checkin.away" if until else "checkin.back", "ok", group.id)
        uow.commit()
        return until


def _managed_groups(uow: UnitOfWork, team_id: str, channel_id: str, user_id: str) -> list[Group]:
    here = uow.groups.by_channel(team_id, channel_id)
    groups = [here] if here else list(uow.groups.for_user(team_id, user_id))
    managed = [g for g in groups if (m := uow.groups.member(g.id, user_id)) and m.role == Role.MANAGER.value]
    if not managed:
        raise DomainError("checkin_not_manager" if here else "checkin_no_group_for_user")
    return managed


def open_form(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, user_id: str,
              group_id: int | None = None, week: date | None = None) -> CheckinForm:
    """What the check-in form shows: this week's answers so far and last week's, for reference."""
    now = clock.now()
    with uow:
        group = uow.groups.get(group_id) if group_id else None
        if group is None:
            managed = _managed_groups(uow, team_id, channel_id, user_id)
            if len(managed) > 1:
                raise DomainError("checkin_which_group")
            group = managed[0]
        elif (m := uow.groups.member(group.id, user_id)) is None or m.role != Role.MANAGER.value:
            raise DomainError("checkin_not_manager")
        week = week or week_of(now, group.timezone)
        row = uow.checkins.week(group.id, week)
        if row is not None and row.digest_planned:
            raise DomainError("checkin_week_closed", week=week.strftime("%-d %B"))
        answer = uow.checkins.answer(row.id, user_id) if row else None
        earlier = uow.checkins.earlier_answer(group.id, user_id, week)
        current = {k: (v["text"], bool(v.get("chair_only"))) for k, v in (answer.answers if answer else {}).items()}
        last = {k: v["text"] for k, v in (earlier.answers if earlier else {}).items() if v.get("text")}
        return CheckinForm(group.id, group.name, week, current, answer.updated_at if answer else None, last,
                           group.checkin_share_channel)


def save_answers(uow: UnitOfWork, clock: Clock, *, group_id: int, week: date, user_id: str,
                 answers: dict[str, tuple[str, bool]], view_id: str) -> Saved:
    """Save a manager's answers for a week; a second submission edits them (every version is kept)."""
    cleaned = {k: (t.strip(), chair_only) for k, (t, chair_only) in answers.items()}
    for key, (text, _) in cleaned.items():
        if len(text) > MAX_ANSWER:
            raise BadInput("checkin_too_long", field=f"answer_{key}", length=len(text), limit=MAX_ANSWER)
    if not any(t for t, _ in cleaned.values()):
        raise BadInput("checkin_empty", field=f"answer_{next(iter(cleaned), '')}")
    now = clock.now()
    stored = {k: {"text": t, "chair_only": c} for k, (t, c) in cleaned.items() if t}
    with uow:
        group = uow.groups.get(group_id)
        member = uow.groups.member(group_id, user_id) if group else None
        if group is None or member is None or member.role != Role.MANAGER.value:
            raise DomainError("checkin_not_manager")
        row = week_row(uow, group.id, week)
        if row.digest_planned:
            raise DomainError("checkin_week_closed", week=week.strftime("%-d %B"))
        answer = uow.checkins.answer(row.id, user_id)
        if answer is None:
            answer = CheckinAnswer(week_id=row.id, user_id=user_id, answers=stored, version=1, created_at=now,
                                   updated_at=now)
            if not uow.checkins.add_unique(answer):  # a double submission: the first one counts
                return Saved(group.name, week, False, False)
        elif view_id and uow.checkins.versions(answer.id)[-1].view_id == view_id:
            return Saved(group.name, week, answer.version > 1, False)
        else:
            answer.answers, answer.version, answer.updated_at = stored, answer.version + 1, now
        uow.checkins.add(CheckinAnswerVersion(answer_id=answer.id, version=answer.version, answers=stored,
                                              view_id=view_id or None, submitted_at=now))
        uow.audit.record(now, user_id, "checkin.answer", "ok", group.id, week=week.isoformat(),
                         version=answer.version)
        uow.commit()
        return Saved(group.name, week, answer.version > 1, True)


def week_status(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> WeekStatus:
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "checkin.status", now)
        week = week_of(now, group.timezone)
        row = uow.checkins.week(group.id, week)
        answered = {a.user_id for a in uow.checkins.answers(row.id)} if row else set()
        away = uow.checkins.away(group.id)
        managers = [m.user_id for m in uow.groups.members(group.id) if m.role == Role.MANAGER.value]
        schedule = uow.checkins.schedule(group.id)
        upcoming = next_send(schedule, now) if schedule and not schedule.paused else None
        return WeekStatus(
            group.name, week, bool(row and row.opened_at), tuple(u for u in managers if u in answered),
            tuple(u for u in managers if u not in answered and not _is_away(away, u, now, group.timezone)),
            tuple(u for u in managers if u not in answered and _is_away(away, u, now, group.timezone)),
            upcoming, group.timezone)


def _is_away(away: dict[str, date], user_id: str, now: datetime, tz: str) -> bool:
    until = away.get(user_id)
    return until is not None and until > now.astimezone(zone(tz)).date()
