"""Weekly schedules on a local calendar: weekday and wall time in a zone, correct across clock changes.

A week is named by its local Monday. Nothing here reads the clock: callers pass `now` (aware).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import BadInput
from bot.domain.when import WEEKDAYS

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?(?:m\.?)?")


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise BadInput("unknown_timezone", given=tz) from exc


def parse_weekday(word: str) -> int | None:
    """0 for Monday ... 6 for Sunday, from an English name or abbreviation ("mon", "Tues", "thursday")."""
    return WEEKDAYS.get(word.strip().lower().rstrip(".,"))


def parse_clock(text: str) -> time | None:
    """"09:00", "9:30", "21.15", "9am", "9.30pm" -> a wall time; None if it is not one (or impossible)."""
    match = _CLOCK.fullmatch(text.strip().lower())
    if not match or (match[2] is None and match[3] is None):
        return None  # a bare "9" is ambiguous
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def week_of(moment_or_day: datetime | date, tz: str) -> date:
    """The local Monday of the week containing a moment (or a day)."""
    day = moment_or_day.astimezone(zone(tz)).date() if isinstance(moment_or_day, datetime) else moment_or_day
    return day - timedelta(days=day.weekday())


def send_moment(week_start: date, weekday: int, at: time, tz: str) -> datetime:
    """The UTC instant of `weekday` at wall time `at` in the week starting `week_start`, in zone `tz`.

    Computed on the local calendar, so 09:00 stays 09:00 local on both sides of a clock change; a wall
    time inside a spring-forward gap moves forward by the gap.
    """
    local = datetime.combine(week_start + timedelta(days=weekday), at).replace(tzinfo=zone(tz))
    return local.astimezone(UTC).astimezone(zone(tz)).astimezone(UTC)
