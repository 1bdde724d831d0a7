"""Free-text dates and times ("next Tuesday 10am", "in 3 weeks", "31/01/2027"), read in a group's time zone.

Nothing here looks at the clock: callers pass `now` (aware), and get back values in the group's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta, weekday

from bot.domain.errors import BadInput

DEFAULT_TIME = time(10, 0)  # a meeting or a due date typed without a time means mid-morning, local
MAX_TEXT = 100  # no date needs more; it also keeps dateutil away from pasted paragraphs

WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
            "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
            "sunday": 6, "sun": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
UNITS = {"day": relativedelta(days=1), "week": relativedelta(weeks=1), "fortnight": relativedelta(weeks=2),
         "month": relativedelta(months=1), "year": relativedelta(years=1)}

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_N = r"\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
_TIME = r"(?:noon|midday|\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?|\d{1,2}[:.]\d{2})"
_TIME_ALONE = r"(?:noon|midday|\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?|\d{1,2}:\d{2})"  # alone, "1.12" may be a date
_DAY = (rf"(?:today|tomorrow|(?:(?:next|this)\s+)?(?:{_WD})|in\s+(?:{_N})\s+(?:day|week|fortnight|month|year)s?"
        r"|end\s+of\s+(?:the\s+|this\s+|next\s+)?month)")
# "[10am] [on] <day> [,] [at] [10am]" or a time alone ("2pm" = today); everything else goes to dateutil.
RELATIVE = re.compile(rf"(?:(?P<before>{_TIME})\s+)?(?:on\s+)?(?P<day>{_DAY})(?:\s*,?\s*(?:at\s+)?(?P<after>{_TIME}))?")
TIME_ONLY = re.compile(rf"(?:at\s+)?(?P<time>{_TIME_ALONE})")
YEAR_FIRST = re.compile(r"\d{4}[-/.]")
DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{2,4})?\b")


def parse_moment(text: str, tz: str, now: datetime) -> datetime:
    """A date and time typed by a person, as an aware datetime in the zone `tz`; 10:00 local when no time is given.

    Understood: "today", "tomorrow", "in N days|weeks|fortnights|months|years" (N a number or a word up to
    twelve), "<weekday>", "this <weekday>", "next <weekday>", "end of [the|next] month", each optionally with
    a time before or after ("next Tuesday 10am", "Tuesday at 2pm", "tomorrow 9:30", "noon"); and through
    dateutil anything with a written date, read day-first as in the UK ("01/12/2026 14:00", "1 December 2pm")
    except year-first ISO dates ("2026-12-01 14:00"), which dateutil's day-first mode would read as 12 January.

    Weekdays: "next Tuesday" and a bare "Tuesday" mean the nearest Tuesday after today, so on a Monday they
    mean tomorrow and on a Tuesday they mean a week today; "this Tuesday" is the same except that said on a
    Tuesday it means today. (British usage of "next Tuesday" is split; the nearest one is the predictable
    choice, and the confirmation the caller shows makes the date visible.)

    A written date without a year ("1 March") means the next such date, not one earlier this year. Other past
    moments are returned as typed: callers decide, with `is_past`. Times that do not exist locally (inside a
    spring-forward gap) move forward by the gap; repeated times (autumn) mean the first of the two.
    """
    zone = _zone(tz)
    local_now = _local_now(now, zone)
    return _attach(_parse(text, local_now), zone)


def parse_day(text: str, tz: str, now: datetime) -> date:
    """A day typed by a person (a due date), by the same grammar as `parse_moment`; a time, if typed, is ignored.

    "next Friday", "2027-01-31", "31/01/2027", "in 3 weeks", "end of month" (the last day of this month).
    """
    zone = _zone(tz)
    return _parse(text, _local_now(now, zone)).date()


def is_past(moment_or_day: datetime | date, tz: str, now: datetime) -> bool:
    """Whether a moment is before `now`, or a day before today in `tz` (today is not past).

    A naive datetime is read as local wall time in `tz`.
    """
    zone = _zone(tz)
    local_now = _local_now(now, zone)
    if isinstance(moment_or_day, datetime):  # before date: every datetime is also a date
        moment = moment_or_day if moment_or_day.tzinfo else _attach(moment_or_day, zone)
        return moment < local_now
    return moment_or_day < local_now.date()


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise BadInput("unknown_timezone", given=tz) from exc


def _local_now(now: datetime, zone: tzinfo) -> datetime:
    if now.tzinfo is None:  # a programming error, not a typing one: a naive `now` would silently mean UTC or local
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone)


def _attach(wall: datetime, zone: ZoneInfo) -> datetime:
    """Local wall time -> aware datetime; the round trip through UTC turns a time in a DST gap into a real one."""
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _parse(text: str, local_now: datetime) -> datetime:
    """Naive local wall time for `text`; BadInput("date_unparseable") for anything not understood."""
    given = (text or "").strip()
    cleaned = " ".join(given.lower().split()).rstrip(" ,;!?")
    if not cleaned or len(cleaned) > MAX_TEXT or cleaned.isdigit():  # a bare "10": the 10th, or 10 o'clock?
        raise BadInput("date_unparseable", given=given)
    try:
        return _relative(cleaned, local_now) or _written(cleaned, local_now)
    except (ValueError, ArithmeticError) as exc:  # dateutil's ParserError is a ValueError; big years overflow
        raise BadInput("date_unparseable", given=given) from exc


def _relative(text: str, local_now: datetime) -> datetime | None:
    """Our own phrases, computed on the local calendar so that DST never shifts the wall time."""
    today = local_now.date()
    if match := TIME_ONLY.fullmatch(text):
        return datetime.combine(today, _clock(match["time"]))
    if not (match := RELATIVE.fullmatch(text)):
        return None
    if match["before"] and match["after"]:
        raise ValueError("two times")
    typed = match["before"] or match["after"]
    return datetime.combine(_day(match["day"], today), _clock(typed) if typed else DEFAULT_TIME)


def _day(phrase: str, today: date) -> date:
    words = phrase.split()
    if phrase == "today":
        return today
    if phrase == "tomorrow":
        return today + relativedelta(days=1)
    if words[0] == "in":
        count = NUMBERS.get(words[1]) or int(words[1])
        return today + UNITS[words[2].removesuffix("s")] * count
    if words[0] == "end":
        # relativedelta clamps day=31 to the month's last day
        return today + relativedelta(months=1 if words[-2] == "next" else 0, day=31)
    target = weekday(WEEKDAYS[words[-1]])(+1)  # the first such weekday on or after the start date
    start = today if words[0] == "this" else today + relativedelta(days=1)
    return start + relativedelta(weekday=target)


def _clock(typed: str) -> time:
    if typed in ("noon", "midday"):
        return time(12, 0)
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?m\.?)?", typed)
    if not match:
        raise ValueError(typed)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(typed)  # "13pm"
        hour = hour % 12 + (12 if half == "p" else 0)
    return time(hour, minute)  # ValueError for 25:00 or 10:75


def _written(text: str, local_now: datetime) -> datetime:
    """A written date through dateutil, with what was left out (time, year, month) filled from `local_now`."""
    text = DOTTED.sub(lambda m: m[0].replace(".", "/"), text)  # dateutil reads "1.12" as the number 1.12
    text = re.sub(r"\b(?:noon|midday)\b", "12pm", text)
    default = local_now.replace(hour=DEFAULT_TIME.hour, minute=DEFAULT_TIME.minute, second=0, microsecond=0,
                                tzinfo=None)
    dayfirst = not YEAR_FIRST.match(text)  # dateutil reads "2026-12-01" as 12 January when dayfirst=True
    parsed = _dateutil(text, default, dayfirst, local_now)
    # Parts not typed come from the default, so a past "1 March" or "1st" parsed again a month or a
    # year on lands in the future; a fully written past date comes back unchanged and is kept as typed.
    for shift in (relativedelta(months=1), relativedelta(years=1)):
        if parsed.date() >= local_now.date():
            break
        try:
            later = _dateutil(text, default + shift, dayfirst, local_now)
        except ValueError:  # "29 February" a year on
            continue
        if later.date() >= local_now.date():
            return later
    return parsed


def _dateutil(text: str, default: datetime, dayfirst: bool, local_now: datetime) -> datetime:
    parsed = dateutil_parser.parse(text, dayfirst=dayfirst, default=default, fuzzy=False)
    if parsed.tzinfo is not None:  # "14:00 UTC" or an ISO offset: the same instant, as local wall time
        return parsed.astimezone(local_now.tzinfo).replace(tzinfo=None)
    return parsed


def format_day(day: date) -> str:
    """How a target date reads everywhere the bot shows one: 'Fri 29 January 2027'."""
    return day.strftime("%a %-d %B %Y")
