"""Target dates as real action plans write them ("by end of July", "August/September 2027", "Q3 2027").

The words are kept as written; this module finds the one concrete day the bot uses for reminders. The rule
is the *latest plausible day* the words allow, so nobody is chased before the plan said they would be done:

- a month ("July", "by end of July", "late July") -> its last day; "early July" the 10th, "mid July" the 20th;
- a range or a choice of months ("August/September 2027", "July / August", "September to November")
  -> the last day of the later month;
- a quarter ("Q3 2027") -> its last day (quarters are calendar quarters: Q3 ends 30 September);
- a season ("spring 2027", "autumn") -> the last day of its last month (spring Mar-May, summer Jun-Aug,
  autumn Sep-Nov, winter Dec-Feb, so winter 2027 ends 28/29 February 2028);
- a year, "end of 2027", "mid-2027", "early 2027" -> 31 December, 30 June, 31 March;
- anything else goes to bot.domain.when.parse_day ("next Friday", "31/07/2027", "in 3 weeks").

A month, range, quarter or season written without a year means the next one that has not ended yet.
Leading words such as "by", "before", "no later than", "the end of" are read past, and a sentence
("Business case to be completed by end of July") is searched for the last date-like phrase in it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.errors import BadInput
from bot.domain.when import parse_day

MAX_TARGET = 200  # the column's width

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
PART_DAY = {"early": 10, "beginning": 10, "start": 10, "mid": 20, "middle": 20}
PART_YEAR = {"early": 3, "beginning": 3, "start": 3, "mid": 6, "middle": 6, "late": 12, "end": 12}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASON = "|".join(SEASONS)
_PART = r"(?:(?P<part>early|beginning|start|mid|middle|late|end)(?:\s*-\s*|\s+)(?:of\s+)?)?"
_YEAR = r"(?:\s*,?\s*(?P<year>\d{4}))?"
MONTH_SPAN = re.compile(rf"{_PART}(?P<first>{_MONTH})\.?(?:\s*(?:/|-|–|to|or|and|until|till)\s*"
                        rf"(?P<last>{_MONTH})\.?)?{_YEAR}")
QUARTER = re.compile(r"(?:q(?P<q>[1-4])|(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
                     r"(?:\s+(?:of\s+)?(?P<year>\d{4}))?")
SEASON = re.compile(rf"{_PART}(?P<season>{_SEASON}){_YEAR}")
YEAR = re.compile(r"(?:(?P<part>early|beginning|start|mid|middle|late|end)(?:\s*-\s*|\s+)(?:of\s+)?)?(?P<year>\d{4})")
LEAD_IN = re.compile(r"^(?:(?:by|before|no\s+later\s+than|not\s+later\s+than|target(?:ed)?|due|around|about|"
                     r"approx\.?|approximately|in|during|within|for|completed?|complete\s+by|until|till)\s+)+")
THE_END = re.compile(r"^(?:the\s+)?(end|close)\s+of\s+(?:the\s+)?")
NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


@dataclass(frozen=True)
class Target:
    """What was written (kept as it is) and the day reminders use."""

    text: str
    day: date
    loose: bool  # the words name a period, not a day: the day shown back is our reading of them


def read_target(text: str, tz: str, now: datetime) -> Target:
    """The written target and its reminder day; BadInput("target_unreadable") when no date can be found."""
    written = " ".join((text or "").split())
    if not written:
        raise BadInput("target_unreadable", given="")
    if len(written) > MAX_TARGET:
        raise BadInput("target_too_long", limit=MAX_TARGET)
    today = parse_day("today", tz, now)  # also refuses an unknown time zone
    cleaned = _clean(written)
    day = _period(cleaned, today)
    if day is not None:
        return Target(written, day, True)
    for candidate in dict.fromkeys((written, cleaned)):  # "in 3 weeks" as written; "by next Friday" cleaned
        try:
            return Target(written, parse_day(candidate, tz, now), False)
        except BadInput:
            continue
    found = _last_phrase(written.lower(), today)  # a sentence with a date somewhere in it
    if found is None:
        raise BadInput("target_unreadable", given=written)
    return Target(written, found, True)


def _clean(text: str) -> str:
    lowered = text.lower().strip(" .;,!")
    lowered = LEAD_IN.sub("", lowered)
    return THE_END.sub("end of ", lowered).strip()


def _period(text: str, today: date) -> date | None:
    """A month, span, quarter, season or year that makes up the whole text."""
    text = text.removeprefix("end of ").strip() if text.startswith("end of ") and not YEAR.fullmatch(text) else text
    if m := MONTH_SPAN.fullmatch(text):
        return _months(m, today)
    if m := QUARTER.fullmatch(text):
        q = int(m["q"]) if m["q"] else NTH[m["nth"]]
        return _latest(3 * q - 2, 3 * q, m["year"], today)
    if m := SEASON.fullmatch(text):
        first, last = SEASONS[m["season"]]
        return _latest(first, last, m["year"], today)
    if m := YEAR.fullmatch(text):
        year, part = int(m["year"]), m["part"] or "end"
        return _month_end(year, PART_YEAR[part])
    return None


def _months(m: re.Match[str], today: date) -> date:
    first = MONTHS[m["first"]]
    last = MONTHS[m["last"]] if m["last"] else first
    if last < first:  # "November to February": the span runs into the next year
        last += 12
    end = _latest(first, last, m["year"], today)
    if m["part"] in PART_DAY and not m["last"]:
        return end.replace(day=min(PART_DAY[m["part"]], end.day))
    return end


def _latest(first: int, last: int, year: str | None, today: date) -> date:
    """The last day of the span; without a year, the next span that has not ended yet."""
    if year is not None:
        return _month_end(int(year), last)
    end = _month_end(today.year, last)
    return end if end >= today else _month_end(today.year + 1, last)


def _month_end(year: int, month: int) -> date:
    """The last day of `month` in `year`; a month past 12 is in the following year (winter, Nov-Feb)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


PHRASE = re.compile(rf"(?:{_PART.replace('?P<part>', '?:')}(?:{_MONTH})\.?(?:\s*(?:/|-|–|to|or|and)\s*(?:{_MONTH})\.?)?"
                    rf"(?:\s*,?\s*\d{{4}})?|q[1-4](?:\s+\d{{4}})?|(?:{_SEASON})(?:\s+\d{{4}})?|\b\d{{4}}\b)")


def _last_phrase(text: str, today: date) -> date | None:
    """The last month, quarter, season or year named inside a longer sentence."""
    for match in reversed(list(PHRASE.finditer(text))):
        start, end = match.span()
        if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue  # "mar" inside "summary", "may" inside "mayor"
        found = _period(match[0].strip(), today)
        if found is not None:
            return found
    return None
