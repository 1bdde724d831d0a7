"""Journeys: the chair schedules the next meeting with `/meeting schedule`, bad dates are refused, the close
card and the minutes show it; reminders are cancelled when no longer wanted and caught up after an outage.

The clock starts on Monday 23 November 2026, 10:00 UTC; the group is in Europe/London.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import deliveries, reminders
from handlers.blocks.reminders import reminder_message
from storage.models import AuditEntry, Delivery, Group, Meeting, Minutes
from tests.harness import CHANNEL
from tests.reminder_steps import (
    add_action,
    at,
    channel_with,
    dms_with,
    say,
    schedule,
    sent,
    tick,
)
from tests.steps import card_text, give_roles, posted, set_up_group, start_meeting


def channel_posts(fake, after: int) -> list:
    return [c for c in fake.calls_to("chat.postMessage")[after:] if c.args.get("channel") == CHANNEL]


def test_the_chair_schedules_the_next_meeting_and_the_channel_is_told(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    assert "`/meeting schedule &lt;when&gt;`" in say(driver, fake, "UCHAIR", "/meeting", "help")

    mark = fake.mark()
    said = schedule(driver, fake, "next Tuesday 10am")
    assert "Next meeting of *Southwark Care Home Strategy Group*: *Tuesday 24 November 2026 at 10:00* " \
           "(Europe/London)" in said
    assert "too soon to ask owners of open actions" in said  # Sunday 09:00 has passed
    told = posted(fake, "The next meeting is on", after=mark)
    assert "*Tuesday 24 November 2026 at 10:00* (Europe/London)" in told["text"] and "<@UCHAIR>" in told["text"]
    group = db.one(Group)
    assert (group.next_meeting_at, group.next_meeting_set_by, group.next_meeting_set_at) == (
        datetime(2026, 11, 24, 10, tzinfo=UTC), "UCHAIR", clock.now())

    # The co-chair moves it to a summer date: shown at 14:00 local, stored in UTC (BST is UTC+1).
    mark = fake.mark()
    said = schedule(driver, fake, "01/06/2027 2pm", user="UCOCHAIR")
    assert "*Tuesday 1 June 2027 at 14:00*" in said
    assert "This replaces the date set before, Tuesday 24 November 2026 at 10:00." in said
    assert "report back on Sunday 30 May 2027 at 09:00" in said and "here on Monday 31 May 2027 at 09:00" in said
    moved = posted(fake, "The next meeting has moved", after=mark)
    assert "now on *Tuesday 1 June 2027 at 14:00*" in moved["text"]
    assert "instead of Tuesday 24 November 2026 at 10:00" in moved["text"]
    assert db.one(Group).next_meeting_at == datetime(2027, 6, 1, 13, tzinfo=UTC)
    assert [(e.actor, e.outcome) for e in db.all(AuditEntry, action="meeting.schedule")] == [
        ("UCHAIR", "ok"), ("UCOCHAIR", "ok")]


def test_bad_schedules_are_refused_privately_and_change_nothing(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    schedule(driver, fake, "1/12/2026 14:00")
    before = db.one(Group).next_meeting_at
    mark = fake.mark()
    assert "Tell me when the next meeting is, for example `/meeting schedule next Tuesday 10am`" in \
        schedule(driver, fake, "")
    past = schedule(driver, fake, "23/11/2026 9am")  # an hour ago
    assert '"23/11/2026 9am" is Monday 23 November 2026 at 09:00, which has already passed' in past
    assert "unchanged" in past
    unreadable = schedule(driver, fake, "when pigs fly")
    assert "I couldn't read \"when pigs fly\" as a date and time" in unreadable
    assert "`/meeting schedule &lt;when&gt;`" in unreadable
    refused = schedule(driver, fake, "next Tuesday 10am", user="UMGR1")
    assert "Only the chair or a co-chair (<@UCHAIR>, <@UCOCHAIR>) can do that" in refused

    assert db.one(Group).next_meeting_at == before == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert channel_posts(fake, mark) == []  # nothing was announced
    assert [(e.actor, e.outcome) for e in db.all(AuditEntry, action="meeting.schedule")] == [
        ("UCHAIR", "ok"), ("UMGR1", "refused")]


def test_the_close_card_asks_for_the_next_meeting_then_shows_it_and_the_minutes_record_it(bot, driver, fake, db,
                                                                                         clock):
    set_up_group(driver, fake)
    schedule(driver, fake, "today 10:30")  # this meeting: once started, it is not "the next one"
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto close")
    card = posted(fake, "· Close", after=mark)
    assert "The next meeting has no date yet. Chair: set it with `/meeting schedule &lt;when&gt;`" in \
        card_text(fake, card)

    said = schedule(driver, fake, "in 4 weeks")
    assert "*Monday 21 December 2026 at 10:00*" in said
    fake.wait_until(lambda: "Next meeting: *Monday 21 December 2026 at 10:00* (Europe/London)"
                    in card_text(fake, card), message="the close card redrawn with the date")
    assert db.one(Meeting).next_meeting_at == datetime(2026, 12, 21, 10, tzinfo=UTC)

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    minutes = posted(fake, "Minutes · Meeting 1", after=mark)
    fake.wait_until(lambda: db.count(Minutes) == 1)
    shown = str(minutes.get("blocks")) + "".join(str(m.get("blocks")) for m in fake.messages(CHANNEL))
    assert "Next meeting" in shown and "Monday 21 December 2026, 10:00" in shown
    assert "Monday 21 December 2026, 10:00" in db.one(Minutes).markdown
    assert "Next meeting: *Monday 21 December 2026 at 10:00*" in card_text(fake, card)  # still, once ended


def test_a_reminder_for_an_action_done_before_it_goes_out_is_cancelled(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    add_action(driver, fake, "Audit the falls log", "UMGR1", "30/11/2026")
    add_action(driver, fake, "Book the dementia training", "UMGR2", "30/11/2026")
    at(clock, 2026, 11, 27, 9, 0)  # 09:00 three days before: both planned...
    assert reminders.plan_due(bot.bundle.deps.uow(), clock) == 2
    say(driver, fake, "UMGR1", "/actions", "report A-1 done Audited on Thursday")  # ...one is done before sending
    assert tick(bot) == 1
    assert not dms_with(fake, "UMGR1", "is due on") and len(dms_with(fake, "UMGR2", "is due on")) == 1
    assert sorted((d.user_id, d.status) for d in db.all(Delivery)) == [("UMGR1", "cancelled"), ("UMGR2", "sent")]
    clock.advance(days=10)
    assert tick(bot) == 1  # only the open one is overdue


def test_after_the_clock_was_down_only_what_is_still_relevant_is_sent(bot, driver, fake, db, clock):
    at(clock, 2027, 3, 10, 10, 0)
    set_up_group(driver, fake)
    give_roles(driver, fake)
    add_action(driver, fake, "Audit the falls log", "UMGR1", "20/03/2027")
    add_action(driver, fake, "Book the dementia training", "UMGR2", "18/03/2027")
    schedule(driver, fake, "25/03/2027 10am")
    assert tick(bot) == 0

    at(clock, 2027, 3, 18, 10, 0)  # down since the 10th: A-1's "due soon" is still before its due date...
    assert tick(bot) == 1 and len(dms_with(fake, "UMGR1", "is due on *Sat 20 March 2027*")) == 1
    assert not dms_with(fake, "UMGR2", "is due on")  # ...A-2's due date has come: too late for "due soon"
    at(clock, 2027, 3, 19, 9, 0)
    assert tick(bot) == 1 and len(dms_with(fake, "UMGR2", "was due on *Thu 18 March 2027*")) == 1

    at(clock, 2027, 3, 25, 9, 30)  # down again; the meeting is at 10:00: both its reminders go, late but in time
    assert tick(bot) == 4  # the report-back DMs to both owners, the agenda, and A-1's first overdue DM
    assert len(dms_with(fake, "UMGR1", "meets on *Thursday 25 March 2027 at 10:00*")) == 1
    assert len(dms_with(fake, "UMGR2", "meets on *Thursday 25 March 2027 at 10:00*")) == 1
    assert len(channel_with(fake, "Meeting 1 of Southwark Care Home Strategy Group")) == 1

    at(clock, 2027, 3, 25, 12, 0)
    schedule(driver, fake, "8/4/2027 10am")  # 09:00 UTC
    at(clock, 2027, 4, 8, 9, 30)  # down for two weeks, back after the meeting began
    assert tick(bot) == 2  # one overdue DM each (the 3rd), not the missed 2nd ones; no meeting reminders
    assert sorted((d.user_id, d.kind, d.period) for d in sent(db) if d.kind != "action_due") == [
        ("CGROUP", "meeting_eve", "2027-03-25T10:00+00:00"),
        ("UMGR1", "action_overdue", "A1:2027-03-20:1"), ("UMGR1", "action_overdue", "A1:2027-03-20:3"),
        ("UMGR1", "report_back", "2027-03-25T10:00+00:00"),
        ("UMGR2", "action_overdue", "A2:2027-03-18:1"), ("UMGR2", "action_overdue", "A2:2027-03-18:3"),
        ("UMGR2", "report_back", "2027-03-25T10:00+00:00")]
    assert tick(bot) == 0


def test_a_crash_between_sending_and_recording_neither_repeats_nor_loses_a_reminder(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    add_action(driver, fake, "Audit the falls log", "UMGR1", "30/11/2026")
    add_action(driver, fake, "Book the dementia training", "UMGR2", "30/11/2026")
    at(clock, 2026, 11, 27, 9, 0)
    deps, client = bot.bundle.deps, bot.bundle.app.client
    reminders.plan_due(deps.uow(), clock)
    first, second = reminders.claim_due(deps.uow(), clock, deps.catalogue)
    assert deliveries.begin_send(deps.uow(), clock, first)
    client.chat_postMessage(channel=first.to, **reminder_message(first, deps.texts))  # Slack got it...
    bot.restart()  # ...but the process stopped before recording it, and before sending the second

    clock.advance(seconds=10)
    assert tick(bot) == 0  # both claims are still leased
    clock.advance(seconds=15)  # nobody renews the lost claims: one is found in Slack, the other is sent
    assert tick(bot) == 1
    assert [len(dms_with(fake, u, "is due on *Mon 30 November 2026*")) for u in (first.to, second.to)] == [1, 1]
    assert db.count(Delivery, status="sent") == 2
