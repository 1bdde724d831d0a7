"""Free-text dates and times in a group's zone: the grammar, "next <weekday>", day-first dates and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import BadInput
from bot.domain.when import is_past, parse_day, parse_moment

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, in GMT


def local(tz: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(tz))  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), [
    ("next Tuesday 10am", (2026, 11, 24, 10, 0)),
    ("2026-12-01 14:00", (2026, 12, 1, 14, 0)),
    ("2026-12-01", (2026, 12, 1, 10, 0)),
    ("2026-12-01 2pm", (2026, 12, 1, 14, 0)),
    ("in 4 weeks", (2026, 12, 21, 10, 0)),
    ("in a fortnight", (2026, 12, 7, 10, 0)),
    ("in three days", (2026, 11, 26, 10, 0)),
    ("in 1 month", (2026, 12, 23, 10, 0)),
    ("tomorrow 9:30", (2026, 11, 24, 9, 30)),
    ("Tomorrow at 9.30am", (2026, 11, 24, 9, 30)),
    ("today", (2026, 11, 23, 10, 0)),
    ("Tuesday at 2pm", (2026, 11, 24, 14, 0)),
    ("on Thursday, 12 p.m.", (2026, 11, 26, 12, 0)),
    ("2pm next Wednesday", (2026, 11, 25, 14, 0)),
    ("next fri noon", (2026, 11, 27, 12, 0)),
    ("1 December 2pm", (2026, 12, 1, 14, 0)),
    ("1 December at noon", (2026, 12, 1, 12, 0)),
    ("01/12/2026 14:00", (2026, 12, 1, 14, 0)),
    ("12/01/2027", (2027, 1, 12, 10, 0)),
    ("1.12.2026 14:00", (2026, 12, 1, 14, 0)),
    ("1 March", (2027, 3, 1, 10, 0)),  # no year typed and already past this year: next year's
    ("1st", (2026, 12, 1, 10, 0)),  # no month typed and already past this month: next month's
    ("1 January 2026", (2026, 1, 1, 10, 0)),  # a written past date is kept; callers ask to confirm
    ("4pm", (2026, 11, 23, 16, 0)),
    ("  NEXT   tuesday   10AM!  ", (2026, 11, 24, 10, 0)),
    ("2026-12-01T14:00Z", (2026, 12, 1, 14, 0)),
])
def test_moments_are_read_in_the_groups_zone(text, expected):
    moment = parse_moment(text, LONDON, NOW)
    assert moment == local(LONDON, *expected)
    assert moment.tzinfo == ZoneInfo(LONDON)
    assert (moment.hour, moment.minute) == expected[3:]


@pytest.mark.parametrize(("text", "days_ahead"), [
    ("Monday", 7), ("next Monday", 7), ("this Monday", 0),
    ("Tuesday", 1), ("next Tuesday", 1), ("this Tuesday", 1), ("tues", 1),
    ("next Sunday", 6), ("sun", 6), ("this Sunday", 6),
])
def test_next_weekday_is_the_nearest_one_after_today(text, days_ahead):
    # NOW is a Monday: "next Tuesday" is tomorrow, "next Monday" a week today, "this Monday" today.
    assert parse_day(text, LONDON, NOW) == date(2026, 11, 23) + timedelta(days=days_ahead)


@pytest.mark.parametrize(("text", "expected"), [
    ("next Friday", date(2026, 11, 27)),
    ("2027-01-31", date(2027, 1, 31)),
    ("31/01/2027", date(2027, 1, 31)),
    ("in 3 weeks", date(2026, 12, 14)),
    ("end of month", date(2026, 11, 30)),
    ("end of the month", date(2026, 11, 30)),
    ("end of next month", date(2026, 12, 31)),
    ("next Friday 5pm", date(2026, 11, 27)),
    ("25.12", date(2026, 12, 25)),
])
def test_due_dates_are_days(text, expected):
    assert parse_day(text, LONDON, NOW) == expected


def test_a_month_on_from_the_31st_is_the_last_day_of_a_short_month():
    assert parse_day("in 1 month", LONDON, datetime(2027, 1, 31, 12, tzinfo=UTC)) == date(2027, 2, 28)


@pytest.mark.parametrize(("now", "text", "wall", "utc"), [
    (NOW, "tomorrow 9am", 9, datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),  # GMT: 09:00 is 09:00 UTC
    (datetime(2027, 6, 1, 10, tzinfo=UTC), "tomorrow 9am", 9, datetime(2027, 6, 2, 8, 0, tzinfo=UTC)),  # BST
    # Across the 2027-03-28 clock change: the wall time stays put, the UTC hour moves.
    (datetime(2027, 3, 22, 10, tzinfo=UTC), "next Monday 9am", 9, datetime(2027, 3, 29, 8, 0, tzinfo=UTC)),
    (datetime(2027, 3, 24, 10, tzinfo=UTC), "in 1 week", 10, datetime(2027, 3, 31, 9, 0, tzinfo=UTC)),
    (datetime(2027, 3, 27, 10, tzinfo=UTC), "tomorrow 9am", 9, datetime(2027, 3, 28, 8, 0, tzinfo=UTC)),
    (datetime(2027, 3, 27, 10, tzinfo=UTC), "28/03/2027 00:30", 0, datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),
])
def test_daylight_saving_follows_the_local_wall_clock(now, text, wall, utc):
    moment = parse_moment(text, LONDON, now)
    assert moment == utc
    assert moment.hour == wall


def test_a_time_in_the_spring_gap_moves_forward_and_a_repeated_time_is_the_first():
    gap = parse_moment("28/03/2027 01:30", LONDON, NOW)
    assert (gap.hour, gap.minute, gap.utcoffset()) == (2, 30, timedelta(hours=1))
    assert gap == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    repeated = parse_moment("31/10/2027 01:30", LONDON, NOW)
    # PEP 495: an ambiguous local time never equals a time in another zone, so compare in UTC.
    assert repeated.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 01:30 BST, the first


@pytest.mark.parametrize(("now", "text", "utc"), [
    (NOW, "tomorrow 9am", datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),  # EST, UTC-5
    (datetime(2027, 3, 10, 15, tzinfo=UTC), "next Monday 9am", datetime(2027, 3, 15, 13, 0, tzinfo=UTC)),  # EDT
    # 03:00 UTC on the 24th is still the evening of the 23rd in New York: "tomorrow" is the 24th.
    (datetime(2026, 11, 24, 3, tzinfo=UTC), "tomorrow", datetime(2026, 11, 24, 15, 0, tzinfo=UTC)),
    (datetime(2026, 11, 24, 3, tzinfo=UTC), "Tuesday 10am", datetime(2026, 11, 24, 15, 0, tzinfo=UTC)),
])
def test_other_zones_use_their_own_calendar_and_clock(now, text, utc):
    moment = parse_moment(text, NEW_YORK, now)
    assert moment == utc and moment.tzinfo == ZoneInfo(NEW_YORK)


def test_the_day_is_the_local_day_not_the_utc_day():
    late_evening_in_new_york = datetime(2026, 11, 24, 3, tzinfo=UTC)
    assert parse_day("today", NEW_YORK, late_evening_in_new_york) == date(2026, 11, 23)
    assert parse_day("today", LONDON, late_evening_in_new_york) == date(2026, 11, 24)


@pytest.mark.parametrize("text", [
    "", "   ", "whenever", "next week", "yesterday", "10", "31/02/2027", "2026-13-01", "tuesday 25:00",
    "13pm tomorrow", "10am tuesday 2pm", "in 9999 weeks", "in 1.5 weeks", "99999999999999", "x" * 200,
    "next tuesday at", "soon, next tuesday",
])
def test_what_is_not_understood_is_refused_with_what_was_typed(text):
    with pytest.raises(BadInput) as err:
        parse_moment(text, LONDON, NOW)
    assert err.value.code == "date_unparseable"
    assert err.value.params == {"given": text.strip()}
    with pytest.raises(BadInput):
        parse_day(text, LONDON, NOW)


def test_an_unknown_zone_is_refused_and_a_naive_now_is_a_programming_error():
    with pytest.raises(BadInput) as err:
        parse_moment("tomorrow", "Mars/Olympus", NOW)
    assert err.value.code == "unknown_timezone"
    with pytest.raises(ValueError, match="aware"):
        parse_moment("tomorrow", LONDON, datetime(2026, 11, 23, 10))


@pytest.mark.parametrize(("value", "past"), [
    (date(2026, 11, 22), True),
    (date(2026, 11, 23), False),  # today is not past
    (date(2026, 11, 24), False),
    (datetime(2026, 11, 23, 9, 59, tzinfo=UTC), True),
    (datetime(2026, 11, 23, 10, 1, tzinfo=UTC), False),
    (datetime(2026, 11, 23, 9, 30), True),  # naive: local wall time
    (datetime(2026, 11, 23, 10, 30), False),
])
def test_is_past(value, past):
    assert is_past(value, LONDON, NOW) is past


def test_is_past_uses_the_groups_today():
    evening_in_new_york = datetime(2026, 11, 24, 3, tzinfo=UTC)
    assert is_past(date(2026, 11, 23), NEW_YORK, evening_in_new_york) is False
    assert is_past(date(2026, 11, 23), LONDON, evening_in_new_york) is True


def test_a_past_written_date_is_returned_for_the_caller_to_confirm():
    moment = parse_moment("01/01/2026 09:00", LONDON, NOW)
    assert moment == local(LONDON, 2026, 1, 1, 9, 0) and is_past(moment, LONDON, NOW)
