"""Journey: a month of weekly check-ins for a chair and four managers, driven by a fake clock.

The scheduler's tick is called directly after each move of the clock, as APScheduler would every minute.
"""

from __future__ import annotations

from datetime import date

from storage.models import CheckinAnswer, CheckinAnswerVersion, CheckinWeek, Delivery
from tests.checkin_steps import CHAIRS, GREETING, MANAGERS, REMINDER, answer, at, chair_says, dms, tick
from tests.harness import CHANNEL
from tests.steps import ephemeral_to


def test_a_month_of_weekly_check_ins(checkin_group, bot, driver, fake, db, clock):
    # Monday 23 November 2026, 10:00 UTC: the chair sets Mondays at 9am; this week's 9am has passed.
    said = chair_says(driver, fake, "schedule Mon 9am")
    assert "every Monday at 09:00 (Europe/London)" in said and "Monday 30 November at 09:00" in said
    assert tick(bot) == 0

    # Week 1. Alex answers early on Monday morning with /checkin, so gets no DM at nine.
    at(clock, 2026, 11, 30, 7, 30)
    answer(driver, fake, "UMGR1", {"answer_working_well": "Agency staff settled in well",
                                   "answer_support": "A contact at the GP surgery"}, by_button=False)
    at(clock, 2026, 11, 30, 8, 59)
    assert tick(bot) == 0
    at(clock, 2026, 11, 30, 9, 0)
    assert tick(bot) == 3
    assert tick(bot) == 0  # a second tick sends nothing again
    for user in ["UMGR2", "UCQC", "UHW"]:
        [dm] = dms(fake, user, GREETING)
        assert "Southwark Care Home Strategy Group" in dm["text"] and "week of 30 November 2026" in dm["text"]
    assert not dms(fake, "UMGR1", GREETING)

    answer(driver, fake, "UMGR2", {"answer_not_working": "Agency staff at night are hard to find",
                                   "answer_actions": "Falls workshop booked",
                                   "private_not_working": ["chair_only"]})
    answer(driver, fake, "UCQC", {"answer_working_well": "Inspections went smoothly"})
    view, _ = answer(driver, fake, "UCQC", {"answer_working_well": "Inspections went smoothly in two homes",
                                            "answer_support": "Agency staff training"})
    assert "replaces those answers" in str(view["blocks"])  # the form says it edits
    at(clock, 2026, 12, 1, 9, 0)  # 24 hours on: one reminder, to the only one who has not answered
    assert tick(bot) == 1
    assert [len(dms(fake, u, REMINDER)) for u in MANAGERS] == [0, 0, 0, 1]
    at(clock, 2026, 12, 1, 18, 0)
    assert tick(bot) == 0  # never a second reminder

    at(clock, 2026, 12, 2, 9, 0)  # 48 hours on: the digest
    assert tick(bot) == 2  # the chair and the co-chair, by DM; nothing to the channel (the group did not choose it)
    for chair in CHAIRS:
        [digest] = [m for m in fake.dms(chair) if "Check-in digest" in (m.get("text") or "")]
        shown = str(digest["blocks"])
        assert "3 of 4 managers answered" in shown
        assert "Agency staff at night are hard to find (chair only)" not in shown  # the flag is a label
        assert "<@UMGR2> (chairs only): Agency staff at night are hard to find" in shown
        assert "For the chair and co-chairs only" in shown and "Nothing of the check-in is posted" in shown
        assert "*Not yet:* <@UHW>" in shown
        assert "Inspections went smoothly in two homes" in shown and "Inspections went smoothly'" not in shown
        assert "agency staff" in shown.split("Came up more than once:")[1]
    assert not [m for m in fake.messages(CHANNEL) if "check-in" in (m.get("text") or "").lower()]
    week1 = db.one(CheckinWeek, week_start=date(2026, 11, 30))
    assert (week1.invited, week1.answered, week1.away) == (4, 3, 0)
    cqc = db.one(CheckinAnswer, user_id="UCQC", week_id=week1.id)
    assert cqc.version == 2 and cqc.answers["working_well"]["text"] == "Inspections went smoothly in two homes"
    assert [v.answers["working_well"]["text"] for v in db.all(CheckinAnswerVersion, answer_id=cqc.id)] == [
        "Inspections went smoothly", "Inspections went smoothly in two homes"]
    assert db.one(CheckinAnswer, user_id="UMGR2").answers["not_working"] == {
        "text": "Agency staff at night are hard to find", "chair_only": True}

    # Week 2: paused on Friday, so nothing on Monday; resumed on Tuesday, this week is not sent late.
    at(clock, 2026, 12, 4, 12, 0)
    assert "paused" in chair_says(driver, fake, "pause")
    at(clock, 2026, 12, 7, 9, 0)
    assert tick(bot) == 0
    at(clock, 2026, 12, 8, 12, 0)
    assert "Monday 14 December at 09:00" in chair_says(driver, fake, "resume")
    assert tick(bot) == 0

    # Week 3: the chair skips the holiday week in advance; everyone answers but UHW.
    assert "No check-in the week of 28 December 2026" in chair_says(driver, fake, "skip 2026-12-28")
    at(clock, 2026, 12, 14, 9, 0)
    assert tick(bot) == 4
    for user in ["UMGR1", "UMGR2", "UCQC"]:
        answer(driver, fake, user, {"answer_working_well": f"Week three from {user}"})
    at(clock, 2026, 12, 15, 9, 0)
    assert tick(bot) == 1
    at(clock, 2026, 12, 16, 9, 0)
    assert tick(bot) == 2

    # Week 4 goes out as usual; week 5 is the skipped holiday.
    at(clock, 2026, 12, 21, 9, 0)
    assert tick(bot) == 4
    at(clock, 2026, 12, 22, 9, 0)
    assert tick(bot) == 4  # nobody answered this one
    at(clock, 2026, 12, 23, 9, 0)
    assert tick(bot) == 2
    at(clock, 2026, 12, 28, 9, 0)
    tick(bot)
    at(clock, 2026, 12, 29, 9, 0)
    tick(bot)
    at(clock, 2026, 12, 30, 9, 0)
    tick(bot)
    assert db.count(CheckinWeek, week_start=date(2026, 12, 28)) == 0

    assert [len(dms(fake, u, GREETING)) for u in MANAGERS] == [2, 3, 3, 3]
    assert [len(dms(fake, u, REMINDER)) for u in MANAGERS] == [1, 1, 1, 3]
    assert [w.week_start for w in db.all(CheckinWeek)] == [date(2026, 11, 30), date(2026, 12, 14),
                                                            date(2026, 12, 21)]
    assert [(w.invited, w.answered) for w in db.all(CheckinWeek)] == [(4, 3), (4, 3), (4, 0)]
    assert db.count(Delivery, status="sent") == db.count(Delivery) - db.count(Delivery, status="cancelled")


def test_a_manager_in_two_groups_gets_one_labelled_dm_per_group(checkin_group, bot, driver, fake, db):
    fake.add_channel("CLAMBETH", "lambeth-group", ["UCHAIR", "UMGR1"])
    mark = fake.mark()
    driver.command("UCHAIR", "CLAMBETH", "/group", "setup")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"name": "Lambeth Care Home Group"})
    mark = fake.mark()
    driver.command("UCHAIR", "CLAMBETH", "/group", "role <@UMGR1> manager")
    assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
    for channel in (CHANNEL, "CLAMBETH"):
        mark = fake.mark()
        driver.command("UCHAIR", channel, "/checkin", "send")
        ephemeral_to(fake, "UCHAIR", mark)
    fake.wait_until(lambda: len(dms(fake, "UMGR1", GREETING)) == 2)
    assert sorted(m["text"].split("*")[1] for m in dms(fake, "UMGR1", GREETING)) == [
        "Lambeth Care Home Group", "Southwark Care Home Strategy Group"]
    mark = fake.mark()
    driver.command("UMGR1", fake.dm_channel("UMGR1"), "/checkin", "")
    assert "more than one group" in ephemeral_to(fake, "UMGR1", mark)
    # Each DM's button opens its own group's form.
    lambeth = next(m for m in dms(fake, "UMGR1", GREETING) if "Lambeth" in m["text"])
    mark = fake.mark()
    driver.click_button("UMGR1", fake.dm_channel("UMGR1"), lambeth["ts"], "Answer check-in")
    fake.wait_for("views.open", after=mark)
    assert "Lambeth Care Home Group" in str(fake.last_view("UMGR1")["blocks"])


def test_a_manager_away_gets_nothing_and_shows_as_away_not_missing(checkin_group, bot, driver, fake, db, clock):
    chair_says(driver, fake, "schedule monday 09:00")
    mark = fake.mark()
    driver.command("UHW", CHANNEL, "/checkin", "away until 2026-12-08")
    assert "no check-ins for you until Tuesday 8 December 2026" in ephemeral_to(fake, "UHW", mark)
    at(clock, 2026, 11, 30, 9, 0)
    assert tick(bot) == 3 and not fake.dms("UHW")
    status = chair_says(driver, fake, "status")
    assert "0 of 3 answered" in status and "*Away:* <@UHW>" in status
    at(clock, 2026, 12, 1, 9, 0)
    assert tick(bot) == 3 and not fake.dms("UHW")  # no reminder either
    at(clock, 2026, 12, 2, 9, 0)
    tick(bot)
    digest = next(m for m in fake.dms("UCHAIR") if "Check-in digest" in (m.get("text") or ""))
    assert "*Away:* <@UHW>" in str(digest["blocks"]) and "0 of 3 managers answered" in str(digest["blocks"])
    assert db.one(CheckinWeek).away == 1
    at(clock, 2026, 12, 3, 9, 0)
    mark = fake.mark()
    driver.command("UHW", CHANNEL, "/checkin", "back")
    assert "Welcome back" in ephemeral_to(fake, "UHW", mark)
    at(clock, 2026, 12, 7, 9, 0)
    assert tick(bot) == 4 and len(dms(fake, "UHW", GREETING)) == 1


def test_nine_oclock_london_is_nine_local_across_the_spring_clock_change(checkin_group, bot, driver, fake, clock):
    at(clock, 2027, 3, 16, 12, 0)
    chair_says(driver, fake, "schedule monday 09:00 Europe/London")
    at(clock, 2027, 3, 22, 8, 59)
    assert tick(bot) == 0
    at(clock, 2027, 3, 22, 9, 0)  # GMT: 09:00 local is 09:00 UTC
    assert tick(bot) == 4
    at(clock, 2027, 3, 24, 9, 0)
    assert tick(bot) == 2  # the week's digest, to the two chairs (its reminders were skipped: no tick ran on the 23rd)
    at(clock, 2027, 3, 29, 7, 59)
    assert tick(bot) == 0
    at(clock, 2027, 3, 29, 8, 0)  # BST: 09:00 local is 08:00 UTC
    assert tick(bot) == 4
