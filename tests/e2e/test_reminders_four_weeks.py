"""Journey: four weeks of reminders between meetings, driven by a fake clock across the spring clock change.

A group in Europe/London (UK clocks go forward on Sunday 28 March 2027) agrees three actions on 10 March
and schedules its next meeting for Tuesday 6 April, 10:00 BST. The clock moves in steps to 12 April, the
reminder tick running at each step as APScheduler would every minute, with a restart of the bot on the
way. Every reminder goes exactly once, at 09:00 local, on both sides of the change.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import create_app
from bot.services import reminders
from handlers.jobs import send_due_reminders
from storage.models import Delivery, Meeting
from tests.harness import CHANNEL
from tests.reminder_steps import add_action, at, channel_with, dms_with, local, say, schedule, sent, tick
from tests.steps import give_roles, posted, set_up_group, start_meeting

TICK_HOURS = (0, 6, 7, 8, 9, 10, 12, 18)  # UTC: around 09:00 local in GMT (09 UTC) and BST (08 UTC), and beyond


def utc(*when: int) -> datetime:
    return datetime(*when, tzinfo=UTC)


def run_until(bot, clock, end: datetime, *, restart_at: datetime | None = None,
              at_moment: dict | None = None) -> int:
    """Tick at each of TICK_HOURS from the clock's next step until `end`; `at_moment` maps times to steps."""
    sent_count = 0
    moment = clock.now().replace(minute=0) + timedelta(hours=1)
    while moment <= end:
        if moment.hour in TICK_HOURS:
            clock.current = moment
            if restart_at is not None and moment == restart_at:
                bot.restart()
            if at_moment and moment in at_moment:
                at_moment[moment]()
            sent_count += tick(bot)
        moment += timedelta(hours=1)
    return sent_count


def test_four_weeks_of_reminders_each_sent_once_at_nine_local_across_the_clock_change(bot, driver, fake, db,
                                                                                      clock):
    at(clock, 2027, 3, 10, 10, 0)  # Wednesday 10 March 2027, GMT
    set_up_group(driver, fake)
    give_roles(driver, fake)
    start_meeting(driver, fake)
    assert add_action(driver, fake, "Audit the falls log", "UMGR1", "20/03/2027") == "A-1"  # due the Saturday before
    assert add_action(driver, fake, "Book dementia training", "UMGR2", "02/04/2027") == "A-2"  # due after the change
    assert add_action(driver, fake, "Ask the GP practice for a named contact", "UNHS", "12/03/2027") == "A-3"
    assert "*Tuesday 6 April 2027 at 10:00*" in schedule(driver, fake, "6/4/2027 10am")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 1", after=mark)
    assert db.one(Meeting).next_meeting_at == utc(2027, 4, 6, 9)

    def a2_done() -> None:  # after its first overdue DM, UMGR2 reports A-2 done
        say(driver, fake, "UMGR2", "/actions", "report A-2 done Booked for all night staff")

    total = run_until(bot, clock, utc(2027, 4, 12, 12), restart_at=utc(2027, 3, 25, 12),
                      at_moment={utc(2027, 4, 3, 12): a2_done})

    expected = [  # (kind, to, period, when in UTC): 09:00 GMT is 09:00 UTC, 09:00 BST is 08:00 UTC
        ("action_overdue", "UNHS", "A3:2027-03-12:1", utc(2027, 3, 13, 9)),  # no "due soon": accepted 2 days before
        ("action_due", "UMGR1", "A1:2027-03-20", utc(2027, 3, 17, 9)),
        ("action_overdue", "UNHS", "A3:2027-03-12:2", utc(2027, 3, 20, 9)),
        ("action_overdue", "UMGR1", "A1:2027-03-20:1", utc(2027, 3, 21, 9)),
        ("action_overdue", "UNHS", "A3:2027-03-12:3", utc(2027, 3, 27, 9)),
        ("action_overdue", "UMGR1", "A1:2027-03-20:2", utc(2027, 3, 28, 8)),  # the morning of the change
        ("action_due", "UMGR2", "A2:2027-04-02", utc(2027, 3, 30, 8)),
        ("action_overdue", "UNHS", "A3:2027-03-12:4", utc(2027, 4, 3, 8)),  # the 4th and last
        ("action_overdue", "UMGR2", "A2:2027-04-02:1", utc(2027, 4, 3, 8)),
        ("action_overdue", "UMGR1", "A1:2027-03-20:3", utc(2027, 4, 4, 8)),
        ("report_back", "UMGR1", "2027-04-06T09:00+00:00", utc(2027, 4, 4, 8)),  # not UMGR2: A-2 is done
        ("report_back", "UNHS", "2027-04-06T09:00+00:00", utc(2027, 4, 4, 8)),
        ("meeting_eve", CHANNEL, "2027-04-06T09:00+00:00", utc(2027, 4, 5, 8)),
        ("action_overdue", "UMGR1", "A1:2027-03-20:4", utc(2027, 4, 11, 8)),
    ]
    rows = sent(db)
    assert sorted((d.kind, d.user_id, d.period, d.sent_at) for d in rows) == sorted(expected)
    assert total == len(expected) == db.count(Delivery)  # nothing planned that was not sent
    assert {(local(d.sent_at).hour, local(d.sent_at).minute) for d in rows} == {(9, 0)}

    # What people saw: one DM per reminder, no more.
    assert len(dms_with(fake, "UNHS", "was due on *Fri 12 March 2027*")) == 4
    assert "This is the last reminder about it." in dms_with(fake, "UNHS", "was due on")[-1]["text"]
    assert len(dms_with(fake, "UMGR1", "is due on *Sat 20 March 2027*")) == 1
    assert len(dms_with(fake, "UMGR1", "was due on *Sat 20 March 2027*")) == 4
    assert len(dms_with(fake, "UMGR2", "was due on *Fri 2 April 2027*")) == 1  # done: no second one
    assert not dms_with(fake, "UMGR2", "Please report back on your open")
    [agenda] = channel_with(fake, "Meeting 2 of Southwark Care Home Strategy Group")
    shown = str(agenda["blocks"])
    assert "Tuesday 6 April 2027 at 10:00" in shown
    assert "4. Report back on actions" in shown and "8. Close" in shown
    assert "*Actions to report back on:* 2 open" in shown and "*Themes:*" in shown

    # The report-back DM's button opens the same Report back form as `/actions`.
    [report_back] = dms_with(fake, "UMGR1", "meets on *Tuesday 6 April 2027 at 10:00*")
    assert "Please report back on your open action" in report_back["text"]
    mark = fake.mark()
    driver.click_button("UMGR1", fake.dm_channel("UMGR1"), report_back["ts"], "Report back")
    fake.wait_for("views.open", after=mark)
    form = fake.last_view("UMGR1")
    assert "*A-1* Audit the falls log" in str(form["blocks"])


def test_two_scheduler_processes_on_postgresql_send_each_reminder_once(engine, bot, driver, fake, db, clock):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: one scheduler process is assumed there")
    at(clock, 2027, 3, 10, 10, 0)
    set_up_group(driver, fake)
    give_roles(driver, fake)
    owners = ["UMGR1", "UMGR2", "UNHS", "UCQC", "UHW", "UCOCHAIR"]
    for i in range(12):
        add_action(driver, fake, f"Action number {i + 1}", owners[i % len(owners)], "20/03/2027")
    at(clock, 2027, 3, 17, 9, 0)
    other = create_app(bot.settings, clock=clock, engine=engine)
    fake.latency(0.01, "chat.postMessage")  # so the two really overlap
    counts: list[int] = []

    def scheduler(b) -> None:  # each process plans (the same reminders) and sends, in small batches
        reminders.plan_due(b.deps.uow(), clock)
        counts.append(send_due_reminders(b.app.client, b.deps, batch=2))

    runners = [threading.Thread(target=scheduler, args=(b,)) for b in (bot.bundle, other)]
    for t in runners:
        t.start()
    for t in runners:
        t.join()
    assert sum(counts) == 12, counts  # (typically split between the two)
    assert [len(dms_with(fake, u, "is due on *Sat 20 March 2027*")) for u in owners] == [2] * 6
    assert db.count(Delivery) == db.count(Delivery, status="sent") == 12
