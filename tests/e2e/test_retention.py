"""`/group retention` through signed requests, and the daily run on a fake clock after a real meeting: what a
member said goes when the group's period ends, and the minutes as published stay and still render."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from handlers.retention_job import run_daily_retention
from storage.models import Attendance, AuditEntry, Contribution, Meeting, Minutes, RetentionSetting
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, posted, reply, set_up_group, start_meeting


def say(driver, fake, user: str, text: str) -> str:
    mark = fake.mark()
    driver.command(user, CHANNEL, "/group", f"retention {text}".strip())
    return ephemeral_to(fake, user, mark)


def test_anyone_in_the_group_sees_the_schedule_in_plain_words(bot, driver, fake, db) -> None:
    set_up_group(driver, fake)
    shown = say(driver, fake, "UMGR1", "")  # in the channel, not yet known to the group
    assert "How long Southwark Care Home Strategy Group keeps its records" in shown
    assert "*Check-in answers* (with their earlier versions): 1 year after the week they answer" in shown
    assert "*Meeting feedback*: 2 years after the meeting" in shown
    assert "*The record of DMs and reminders sent*, and ended away notices: 3 months" in shown
    assert "*The audit log* (who did what and when; nothing anyone wrote): 6 years" in shown
    assert "nobody has done anything in it for 2 years" in shown
    assert "the minutes as they were published" in shown
    assert db.count(RetentionSetting) == 0


def test_a_chair_changes_a_period_and_bad_input_gets_the_right_form(bot, driver, fake, db) -> None:
    set_up_group(driver, fake)
    changed = say(driver, fake, "UCHAIR", "checkins 6")
    assert changed.startswith("Done. *Check-in answers*")
    assert "6 months after the week they answer _(this group's choice; the default is 1 year)_" in changed
    row = db.one(RetentionSetting)
    assert (row.kind, row.months, row.set_by) == ("checkins", 6, "UCHAIR")
    assert "*Check-in answers* (with their earlier versions): 6 months" in say(driver, fake, "UMGR2", "")
    assert "2 years after the meeting _(this group's choice" in say(driver, fake, "UCOCHAIR", "feedback 2 years")

    for typed, expected in [
        ("checkins 200", "checkins can be kept for 1 to 120 months, not 200"),
        ("audit 3", "audit can be kept for 12 to 120 months, not 3"),
        ("bananas 3", '"bananas" is not a kind of record I keep'),
        ("checkins", "For how long? Use `/group retention checkins &lt;months&gt;`"),
        ("checkins soon", '"soon" is not a number of months'),
    ]:
        assert expected in say(driver, fake, "UCHAIR", typed), typed
    assert {(r.kind, r.months) for r in db.all(RetentionSetting)} == {("checkins", 6), ("feedback", 24)}

    assert "1 year after the week they answer" in say(driver, fake, "UCHAIR", "checkins default")
    assert [r.kind for r in db.all(RetentionSetting)] == ["feedback"]
    changes = [(a.actor, a.detail["kind"], a.detail["months"], a.detail["was"])
               for a in db.all(AuditEntry, action="retention.set", outcome="ok")]
    assert changes == [("UCHAIR", "checkins", 6, 12), ("UCOCHAIR", "feedback", 24, 24), ("UCHAIR", "checkins", 12, 6)]


def test_someone_who_is_not_a_chair_is_refused_and_the_refusal_audited(bot, driver, fake, db) -> None:
    set_up_group(driver, fake)
    assert "Only the chair or a co-chair" in say(driver, fake, "UMGR1", "contributions 1")
    assert db.count(RetentionSetting) == 0
    refused = db.one(AuditEntry, action="retention.set", outcome="refused")
    assert (refused.actor, refused.detail["reason"]) == ("UMGR1", "not_chair")
    # Someone outside the channel and the group does not see the schedule either.
    assert "Only members of this group can see its record" in say(driver, fake, "UOUTSIDER", "")
    outsider = db.one(AuditEntry, action="retention.show", outcome="refused")
    assert outsider.actor == "UOUTSIDER"
    assert "retention &lt;kind&gt; &lt;months|default&gt;" in say(driver, fake, "UMGR1", "help")


def test_the_daily_run_deletes_what_members_said_when_the_groups_period_ends(bot, driver, fake, db, clock) -> None:
    set_up_group(driver, fake)
    assert "1 month after the meeting" in say(driver, fake, "UCHAIR", "contributions 1")
    started = clock.now()
    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, "Alex, Tower Bridge. Marigold tired but keen")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto themes")
    theme = posted(fake, "working well", after=mark)
    reply(driver, fake, "UMGR2", theme, "The Marigold garden club brings families in")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Meeting 1 has ended", after=mark)
    fake.wait_until(lambda: db.count(Minutes) == 1, message="the minutes stored")
    assert db.count(Contribution) == 2 and "Marigold garden club" in db.one(Minutes).markdown

    clock.current = started + relativedelta(months=1) - timedelta(days=1)
    assert run_daily_retention(bot.bundle.deps)["contributions"] == 0
    assert db.count(Contribution) == 2
    clock.advance(days=2)
    assert run_daily_retention(bot.bundle.deps)["contributions"] >= 1
    assert db.count(Contribution) == 0
    assert all(a.feeling is None for a in db.all(Attendance)) and db.count(Attendance) == 1
    # What stays still stands: the meeting, the minutes as published, and the minutes drawn again.
    assert db.one(Meeting).status == "ended" and "Marigold" in db.one(Minutes).markdown
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "minutes 1")
    shown = ephemeral_to(fake, "UCHAIR", mark)
    assert "Meeting 1" in shown and "Marigold" not in shown
    run = db.all(AuditEntry, action="retention.run")
    assert len(run) == 2 and run[-1].actor == "retention" and run[-1].detail["deleted"]["contributions"] >= 1
    assert "Marigold" not in str([a.detail for a in db.all(AuditEntry)])


def test_the_scheduler_runs_retention_daily_at_a_fixed_hour(bot) -> None:
    from bot.scheduler import build_scheduler

    job = build_scheduler(bot.bundle).get_job("run_retention")
    assert job is not None and job.func is run_daily_retention and "hour='3'" in str(job.trigger)
