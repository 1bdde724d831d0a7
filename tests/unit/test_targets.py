"""Loose target dates: kept as written, read as the latest plausible day for reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.errors import BadInput
from bot.domain.targets import read_target

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # a Monday in November 2026
TZ = "Europe/London"


@pytest.mark.parametrize(("written", "day"), [
    ("by end of July", date(2027, 7, 31)),  # July 2026 has gone: the next July
    ("end of November", date(2026, 11, 30)),  # this month has not ended yet
    ("August/September 2027", date(2027, 9, 30)),
    ("July / August", date(2027, 8, 31)),
    ("September to November", date(2026, 11, 30)),
    ("Aug-Sept 2027", date(2027, 9, 30)),
    ("November to February", date(2027, 2, 28)),  # runs into the next year
    ("Q3 2027", date(2027, 9, 30)),
    ("q1", date(2027, 3, 31)),
    ("third quarter of 2027", date(2027, 9, 30)),
    ("end of 2027", date(2027, 12, 31)),
    ("2027", date(2027, 12, 31)),
    ("mid-2027", date(2027, 6, 30)),
    ("early 2028", date(2028, 3, 31)),
    ("December 2013", date(2013, 12, 31)),  # a written year is kept, even a past one
    ("mid July 2027", date(2027, 7, 20)),
    ("early March", date(2027, 3, 10)),
    ("late July 2027", date(2027, 7, 31)),
    ("spring 2027", date(2027, 5, 31)),
    ("winter 2027", date(2028, 2, 29)),
    ("by the end of June 2027", date(2027, 6, 30)),
    ("Business case to be completed by end of July", date(2027, 7, 31)),
    ("Project plan milestones agreed in Q2 2027, then sign-off", date(2027, 6, 30)),
])
def test_loose_targets_read_as_the_latest_plausible_day(written, day):
    target = read_target(written, TZ, NOW)
    assert target.day == day
    assert target.text == written  # kept as written
    assert target.loose


@pytest.mark.parametrize(("written", "day"), [
    ("31/07/2027", date(2027, 7, 31)),
    ("2027-07-31", date(2027, 7, 31)),
    ("next Friday", date(2026, 11, 20)),
    ("by next Friday", date(2026, 11, 20)),
    ("in 3 weeks", date(2026, 12, 7)),
    ("1 March", date(2027, 3, 1)),
])
def test_exact_dates_go_through_the_same_reader_as_due_dates(written, day):
    target = read_target(written, TZ, NOW)
    assert (target.day, target.loose) == (day, False)


def test_extra_spaces_are_tidied_but_the_words_are_kept():
    assert read_target("  by   end of July ", TZ, NOW).text == "by end of July"


@pytest.mark.parametrize("written", ["", "when we can", "soon", "the summary is ready", "mayor agrees"])
def test_words_without_a_date_are_refused(written):
    with pytest.raises(BadInput) as caught:
        read_target(written, TZ, NOW)
    assert caught.value.code == "target_unreadable"


def test_a_paragraph_is_too_long():
    with pytest.raises(BadInput) as caught:
        read_target("by July " * 40, TZ, NOW)
    assert caught.value.code == "target_too_long"
