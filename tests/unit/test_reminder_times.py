"""When each reminder between meetings is due: 09:00 local on the right day, windows, catch-up rules, DST."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.reminders import (
    Due,
    Kind,
    action_period,
    action_reminder,
    at_nine,
    is_next_meeting,
    meeting_label,
    meeting_period,
    meeting_reminders,
    overdue_moment,
    parse_action_period,
)

LONDON = "Europe/London"  # UK clocks go forward on Sunday 28 March 2027 (01:00 UTC)


def utc(*when: int) -> datetime:
    return datetime(*when, tzinfo=UTC)


def test_nine_oclock_london_is_nine_local_on_both_sides_of_the_clock_change():
    assert at_nine(date(2027, 3, 27), LONDON) == utc(2027, 3, 27, 9)
    assert at_nine(date(2027, 3, 28), LONDON) == utc(2027, 3, 28, 8)  # the day of the change itself
    assert at_nine(date(2027, 10, 31), LONDON) == utc(2027, 10, 31, 9)
    assert at_nine(date(2027, 3, 28), "Pacific/Auckland") == utc(2027, 3, 27, 20)


@pytest.mark.parametrize("now, expected", [
    (utc(2027, 3, 17, 8, 59), None),  # before 09:00 three days ahead
    (utc(2027, 3, 17, 9), Due(Kind.ACTION_DUE, utc(2027, 3, 17, 9))),
    (utc(2027, 3, 19, 23, 59), Due(Kind.ACTION_DUE, utc(2027, 3, 17, 9))),  # caught up until the due date
    (utc(2027, 3, 20, 0, 0), None),  # the due date itself: too late for "due soon", too early for overdue
    (utc(2027, 3, 21, 8, 59), None),
    (utc(2027, 3, 21, 9), Due(Kind.ACTION_OVERDUE, utc(2027, 3, 21, 9), 1)),
    (utc(2027, 3, 28, 7, 59), Due(Kind.ACTION_OVERDUE, utc(2027, 3, 21, 9), 1)),
    (utc(2027, 3, 28, 8), Due(Kind.ACTION_OVERDUE, utc(2027, 3, 28, 8), 2)),  # 09:00 BST
    (utc(2027, 4, 11, 8), Due(Kind.ACTION_OVERDUE, utc(2027, 4, 11, 8), 4)),
    (utc(2027, 4, 18, 7, 59), Due(Kind.ACTION_OVERDUE, utc(2027, 4, 11, 8), 4)),
    (utc(2027, 4, 18, 8), None),  # never a fifth
    (utc(2027, 9, 1), None),
])
def test_an_action_due_on_saturday_20_march_is_reminded_before_and_weekly_after(now, expected):
    assert action_reminder(date(2027, 3, 20), LONDON, now) == expected


def test_after_weeks_down_only_the_latest_overdue_reminder_is_due_never_a_burst():
    due = action_reminder(date(2027, 3, 20), LONDON, utc(2027, 4, 6, 15))  # down from the 20th to 6 April
    assert due == Due(Kind.ACTION_OVERDUE, utc(2027, 4, 4, 8), 3)
    assert [overdue_moment(date(2027, 3, 20), n, LONDON) for n in (1, 2, 3, 4)] == [
        utc(2027, 3, 21, 9), utc(2027, 3, 28, 8), utc(2027, 4, 4, 8), utc(2027, 4, 11, 8)]


def test_a_reminder_is_only_for_a_date_known_at_its_moment():
    soon = action_reminder(date(2027, 3, 12), LONDON, utc(2027, 3, 10, 12))
    assert soon == Due(Kind.ACTION_DUE, utc(2027, 3, 9, 9))
    assert not soon.known_in_time(utc(2027, 3, 10, 10))  # accepted two days before it is due: no "due soon"
    assert soon.known_in_time(utc(2027, 3, 9, 8))
    late = action_reminder(date(2027, 3, 1), LONDON, utc(2027, 3, 3, 12))  # added already overdue
    assert late is not None and not late.known_in_time(utc(2027, 3, 3, 11))


def test_meeting_reminders_two_days_and_one_day_before_until_the_meeting_starts():
    meeting = utc(2027, 4, 6, 9)  # Tuesday 6 April 2027, 10:00 BST
    assert meeting_reminders(meeting, LONDON, utc(2027, 4, 4, 7, 59)) == ()
    assert meeting_reminders(meeting, LONDON, utc(2027, 4, 4, 8)) == (Due(Kind.REPORT_BACK, utc(2027, 4, 4, 8)),)
    assert meeting_reminders(meeting, LONDON, utc(2027, 4, 5, 8)) == (
        Due(Kind.REPORT_BACK, utc(2027, 4, 4, 8)), Due(Kind.MEETING_EVE, utc(2027, 4, 5, 8)))
    assert meeting_reminders(meeting, LONDON, utc(2027, 4, 6, 9)) == ()  # it has started: nothing late


def test_a_meeting_just_after_midnight_has_its_reminders_by_its_local_date():
    meeting = utc(2027, 7, 1, 23, 30)  # 00:30 BST on Friday 2 July
    assert [d.moment for d in meeting_reminders(meeting, LONDON, utc(2027, 7, 1, 12))] == [
        utc(2027, 6, 30, 8), utc(2027, 7, 1, 8)]


def test_natural_key_periods_round_trip_and_fit_the_column():
    assert action_period(12, date(2027, 3, 20)) == "A12:2027-03-20"
    assert parse_action_period("A12:2027-03-20:3") == (12, date(2027, 3, 20), 3)
    assert parse_action_period("A12:2027-03-20") == (12, date(2027, 3, 20), None)
    assert meeting_period(datetime(2027, 4, 6, 10, tzinfo=ZoneInfo(LONDON))) == "2027-04-06T09:00+00:00"
    assert len(action_period(10**9, date(2027, 3, 20), 4)) <= 40


def test_the_next_meeting_is_later_and_not_the_meeting_just_started():
    started = utc(2027, 4, 6, 8, 55)
    assert not is_next_meeting(None, started, started)
    assert not is_next_meeting(utc(2027, 4, 6, 9), started, started)  # this one, started 5 minutes early
    assert is_next_meeting(utc(2027, 5, 4, 9), started, started)
    assert not is_next_meeting(utc(2027, 5, 4, 9), started, utc(2027, 5, 5))
    assert meeting_label(utc(2027, 5, 4, 9), LONDON) == "Tuesday 4 May 2027 at 10:00"


def test_a_report_back_dm_about_many_actions_stays_within_slacks_limits():
    from bot.domain.reminders import ReminderJob
    from bot.domain.snapshots import ActionSnap
    from handlers.blocks.reminders import reminder_message
    from tests.harness import shared_texts

    many = tuple(ActionSnap(i, i, 1, None, "x" * 2000, "U1", due_date=date(2027, 4, 1)) for i in range(1, 31))
    job = ReminderJob(7, Kind.REPORT_BACK, "U1", 1, "Group <&>", LONDON, False, actions=many,
                      meeting_at=utc(2027, 4, 6, 9))
    message = reminder_message(job, shared_texts())
    assert len(message["blocks"]) <= 50 and "Group &lt;&amp;&gt;" in message["text"]
    buttons = [b for b in message["blocks"] if b["type"] == "actions"]
    assert len(buttons) == 23 and buttons[0]["elements"][0]["value"] == "1"  # the `/actions` button's value
    assert "and 7 more" in str(message["blocks"][-1])
    assert message["metadata"] == {"event_type": "reminder_delivery", "event_payload": {"delivery": 7}}
