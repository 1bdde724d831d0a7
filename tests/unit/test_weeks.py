"""Weekly schedules on the local calendar: weekday and time parsing, and 09:00 staying 09:00 across DST."""

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.checkins import recurring_themes
from bot.domain.errors import BadInput
from bot.domain.weeks import parse_clock, parse_weekday, send_moment, week_of


@pytest.mark.parametrize("word, day", [("monday", 0), ("Mon", 0), ("tues", 1), ("WED", 2), ("thurs", 3),
                                       ("fri", 4), ("saturday", 5), ("sun", 6), ("someday", None), ("", None)])
def test_weekdays_are_read_in_english_with_abbreviations(word, day):
    assert parse_weekday(word) == day


@pytest.mark.parametrize("text, expected", [("09:00", time(9)), ("9:30", time(9, 30)), ("9am", time(9)),
                                            ("2:30pm", time(14, 30)), ("12am", time(0)), ("12pm", time(12)),
                                            ("21.15", time(21, 15)), ("25:00", None), ("10:75", None),
                                            ("13pm", None), ("9", None), ("soon", None)])
def test_times_are_24_hour_or_am_pm_and_impossible_ones_are_refused(text, expected):
    assert parse_clock(text) == expected


def test_monday_nine_in_london_is_nine_local_on_both_sides_of_the_clock_change():
    before = send_moment(date(2027, 3, 22), 0, time(9), "Europe/London")
    after = send_moment(date(2027, 3, 29), 0, time(9), "Europe/London")  # BST began on Sunday 28 March
    autumn = send_moment(date(2027, 11, 1), 0, time(9), "Europe/London")
    assert (before, after, autumn) == (datetime(2027, 3, 22, 9, tzinfo=UTC), datetime(2027, 3, 29, 8, tzinfo=UTC),
                                       datetime(2027, 11, 1, 9, tzinfo=UTC))


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    assert send_moment(date(2027, 3, 22), 6, time(1, 30), "Europe/London") == datetime(2027, 3, 28, 1, 30,
                                                                                        tzinfo=UTC)


def test_a_week_is_named_by_its_local_monday():
    # 23:30 UTC on Sunday is already Monday in Auckland
    assert week_of(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "Europe/London") == date(2026, 11, 23)
    assert week_of(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "Pacific/Auckland") == date(2026, 11, 30)
    with pytest.raises(BadInput):
        week_of(datetime(2026, 11, 29, tzinfo=UTC), "Mars/Olympus")


def test_recurring_themes_are_what_more_than_one_person_raised():
    themes = recurring_themes({"a": ["Night staffing is short again", "night staffing"],
                               "b": ["Short of night staffing; doctor visits slow"], "c": ["Doctor visits were great"]})
    assert set(themes) == {"night staffing", "doctor visits", "short"}  # "night" and "visits" are in the phrases
