"""When each reminder between meetings is due (spec §4), on the group's local calendar; pure date logic.

Every reminder goes at 09:00 local on its day, so on both sides of a clock change. A reminder has a
*window*: from its moment until it stops making sense. The clock process sends it as soon as a tick
falls inside the window, so a process that was down at 09:00 catches up when it comes back, and one
that comes back after the window sends nothing. Nothing here reads the clock: callers pass `now`.

A reminder is only for a date that was already known at its moment (`set_at <= moment`): an action
accepted two days before its due date gets no "due soon" DM (its owner has just taken it on), an
action created already overdue gets its first overdue DM at the next weekly moment, and a meeting set
for tomorrow gets no report-back DM (the channel has just been told of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.snapshots import ActionSnap
from bot.domain.weeks import send_moment, zone

AT = time(9, 0)  # every reminder goes at 09:00 in the group's time zone
DUE_SOON_DAYS = 3  # "due in 3 days": the morning three days before the due date
OVERDUE_EVERY_DAYS = 7  # overdue: the morning after the due date, then weekly while still open...
OVERDUE_MAX = 4  # ...at most four times
REPORT_BACK_DAYS = 2  # owners of open actions: two days before the meeting
EVE_DAYS = 1  # the agenda in the channel: the day before the meeting
SAME_MEETING = timedelta(hours=6)  # a scheduled time this close to a meeting's start is that meeting


class Kind(StrEnum):
    """The reminders' delivery kinds (the check-in's kinds are `checkin`, `reminder`, `digest*`)."""

    ACTION_DUE = "action_due"
    ACTION_OVERDUE = "action_overdue"
    REPORT_BACK = "report_back"
    MEETING_EVE = "meeting_eve"


KINDS: tuple[str, ...] = tuple(k.value for k in Kind)


def at_nine(day: date, tz: str) -> datetime:
    """The UTC instant of 09:00 local on `day` in zone `tz`."""
    return send_moment(day, 0, AT, tz)


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def day_start(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` begins in zone `tz`."""
    return datetime.combine(day, time(0), zone(tz)).astimezone(UTC)


@dataclass(frozen=True)
class Due:
    """A reminder whose window `now` is in: its kind, its moment (09:00 local) and, if overdue, which one."""

    kind: Kind
    moment: datetime
    number: int | None = None

    def known_in_time(self, set_at: datetime | None) -> bool:
        """Whether the date it is about was set by its moment (see the module's docstring)."""
        return set_at is None or set_at <= self.moment


def due_soon_moment(due: date, tz: str) -> datetime:
    return at_nine(due - timedelta(days=DUE_SOON_DAYS), tz)


def overdue_moment(due: date, n: int, tz: str) -> datetime:
    """The n-th overdue reminder (1-based): the morning after the due date, then every 7 days."""
    return at_nine(due + timedelta(days=1 + OVERDUE_EVERY_DAYS * (n - 1)), tz)


def action_reminder(due: date, tz: str, now: datetime) -> Due | None:
    """The reminder an open action due on `due` should have now, if any.

    "Due soon": from 09:00 three days before until the due date begins (then the overdue ones take over).
    Overdue: only the latest one whose moment has passed, for 7 days after it (so a process that was down
    for weeks sends one, never a burst), and never more than the 4th.
    """
    soon = due_soon_moment(due, tz)
    if soon <= now < day_start(due, tz):
        return Due(Kind.ACTION_DUE, soon)
    if now < overdue_moment(due, 1, tz):
        return None
    n = next(n for n in range(OVERDUE_MAX, 0, -1) if overdue_moment(due, n, tz) <= now)
    if now >= overdue_moment(due, n + 1, tz):
        return None
    return Due(Kind.ACTION_OVERDUE, overdue_moment(due, n, tz), n)


def meeting_moment(meeting_at: datetime, tz: str, days_before: int) -> datetime:
    return at_nine(local_day(meeting_at, tz) - timedelta(days=days_before), tz)


def meeting_reminders(meeting_at: datetime, tz: str, now: datetime) -> tuple[Due, ...]:
    """The meeting's reminders whose window `now` is in: each from 09:00 on its day until the meeting starts."""
    found = []
    for kind, days in ((Kind.REPORT_BACK, REPORT_BACK_DAYS), (Kind.MEETING_EVE, EVE_DAYS)):
        moment = meeting_moment(meeting_at, tz, days)
        if moment <= now < meeting_at:
            found.append(Due(kind, moment))
    return tuple(found)


def is_next_meeting(scheduled: datetime | None, meeting_started: datetime, after: datetime) -> bool:
    """Whether a group's scheduled meeting is the one after a meeting that started at `meeting_started`:
    later than `after` (now, or when that meeting ended) and not that meeting itself (a time within a few
    hours of its start is taken to be the meeting that was then started early or late)."""
    return scheduled is not None and scheduled > after and abs(scheduled - meeting_started) > SAME_MEETING


def meeting_label(moment: datetime, tz: str) -> str:
    """How a meeting's date and time read everywhere: 'Tuesday 6 April 2027 at 10:00' (local)."""
    return moment.astimezone(zone(tz)).strftime("%A %-d %B %Y at %H:%M")


def action_period(action_id: int, due: date, n: int | None = None) -> str:
    """The natural key's period of an action reminder; a new due date gives new reminders."""
    return f"A{action_id}:{due.isoformat()}" + (f":{n}" if n is not None else "")


def parse_action_period(period: str) -> tuple[int, date, int | None]:
    parts = period.split(":")
    return int(parts[0].removeprefix("A")), date.fromisoformat(parts[1]), int(parts[2]) if len(parts) > 2 else None


def meeting_period(meeting_at: datetime) -> str:
    """The natural key's period of a meeting reminder: the meeting's time in UTC, to the minute."""
    return meeting_at.astimezone(UTC).isoformat(timespec="minutes")


@dataclass(frozen=True)
class Agenda:
    """What the channel is told the day before: the stages the meeting will run, its themes, and how
    many open actions there are to report back on."""

    number: int  # the meeting's number in the group
    follow_up: bool
    stages: tuple[str, ...]  # stage keys, in order
    themes: tuple[str, ...]
    open_actions: int


@dataclass(frozen=True)
class ReminderJob:
    """One reminder for the scheduler to send; `uncertain` if an earlier claim may have sent it already.

    `to` is the owner (DMs) or the group's channel (the agenda); `actions` holds the action a due or
    overdue DM is about, or every open action of the owner in the group for the report-back DM.
    """

    id: int
    kind: Kind
    to: str
    group_id: int
    group: str
    timezone: str
    uncertain: bool
    actions: tuple[ActionSnap, ...] = ()
    overdue_number: int = 0
    meeting_at: datetime | None = None
    agenda: Agenda | None = None
    attempt: int = 0  # the claim this job was taken under (bot/services/deliveries.py): it fences the send
