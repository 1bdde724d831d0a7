"""Journey: three weeks of check-ins on a fake clock; a home that stays silent and a home that raises the same
concern each week are escalated to the chairs by DM, once; the threshold is the group's setting; the chairs'
CSV of every answer goes to the chair alone."""

from __future__ import annotations

import csv
import io

from handlers.jobs import run_checkin_escalations
from storage.models import AuditEntry, Delivery, Group
from tests.checkin_steps import CHAIRS, answer, at, chair_says, tick
from tests.harness import CHANNEL
from tests.steps import ephemeral_to

WEEKS = [(2026, 11, 30), (2026, 12, 7), (2026, 12, 14), (2026, 12, 21)]
OTHERS = ["The lift was broken for two days", "Flu vaccinations ran late", "Laundry backlog over the weekend",
          "Quiet week"]
CONCERNS = ["Agency staff at night are hard to find", "Still short of agency staff for the night shift",
            "Night cover again relied on agency staff"]


def escalations(fake, chair: str) -> list[str]:
    return [m["text"] for m in fake.dms(chair) if "*Check-in:*" in (m.get("text") or "")]


def week(bot, driver, fake, clock, n: int, concern: str | None) -> int:
    """Week n: the DMs at 9, three managers answer (not Grace, UHW), the week closes 48 hours on;
    returns how many escalations the tick after the close sent."""
    y, m, d = WEEKS[n]
    at(clock, y, m, d, 9, 0)
    tick(bot)
    answer(driver, fake, "UMGR1", {"answer_working_well": f"Week {n + 1}: the garden club went well"}, by_button=False)
    answer(driver, fake, "UCQC", {"answer_not_working": OTHERS[n]}, by_button=False)
    answer(driver, fake, "UMGR2", {"answer_not_working": concern or "Nothing to report",
                                   "private_not_working": ["chair_only"]}, by_button=False)
    clock.advance(hours=48)
    tick(bot)
    return run_checkin_escalations(bot.bundle.app.client, bot.bundle.deps)


def test_a_silent_home_and_a_recurring_concern_are_escalated_to_the_chairs_once(checkin_group, bot, driver,
                                                                                fake, db, clock):
    chair_says(driver, fake, "schedule Mon 9am")
    assert week(bot, driver, fake, clock, 0, CONCERNS[0]) == 0
    assert week(bot, driver, fake, clock, 1, CONCERNS[1]) == 0  # two weeks: not yet
    assert week(bot, driver, fake, clock, 2, CONCERNS[2]) == 4  # silent + concern, to both chairs
    for chair in CHAIRS:
        silent, concern = sorted(escalations(fake, chair), key=lambda t: "not answered" not in t)
        assert "Grace Lee" in silent and "has not answered the weekly check-in" in silent
        assert "3 weeks running (since the week of 30 November 2026)" in silent
        assert "Bermondsey Lodge (Jo Bennett)" in concern and '"agency staff"' in concern
        assert "Only the chairs get this message" in concern
    assert not [m for u in ("UMGR1", "UMGR2", "UCQC", "UHW") for m in fake.dms(u) if "*Check-in:*" in m["text"]]
    assert not [m for m in fake.messages(CHANNEL) if "*Check-in:*" in (m.get("text") or "")]
    assert run_checkin_escalations(bot.bundle.app.client, bot.bundle.deps) == 0
    # Week 4: Grace is still silent and Jo has moved on: nothing new (a run is escalated once).
    assert week(bot, driver, fake, clock, 3, None) == 0
    assert {d.period.split(":")[0] for d in db.all(Delivery, kind="checkin_escalation")} == {"silent", "concern"}


def test_the_threshold_is_the_groups_setting_and_only_chairs_change_it(checkin_group, bot, driver, fake, db, clock):
    assert "Only the chair" in chair_says(driver, fake, "escalate after 2 weeks", user="UMGR1")
    for bad in ("escalate after 1 weeks", "escalate after a while", "escalate"):
        assert "/checkin escalate after &lt;n&gt; weeks" in chair_says(driver, fake, bad)
    assert "2 weeks running" in chair_says(driver, fake, "escalate after 2 weeks")
    assert db.one(Group).checkin_escalate_weeks == 2
    chair_says(driver, fake, "schedule Mon 9am")
    assert week(bot, driver, fake, clock, 0, CONCERNS[0]) == 0
    assert week(bot, driver, fake, clock, 1, CONCERNS[1]) == 4
    assert "2 weeks running" in escalations(fake, "UCHAIR")[0]
    assert [e.outcome for e in db.all(AuditEntry, action="checkin.escalate")] == ["refused", "ok"]


def test_the_chairs_export_of_every_answer_goes_to_the_chair_alone(checkin_group, bot, driver, fake, db, clock):
    chair_says(driver, fake, "schedule Mon 9am")
    week(bot, driver, fake, clock, 0, "=cmd|' /C calc'!A0")
    mark = fake.mark()
    driver.command("UCOCHAIR", CHANNEL, "/group", "export checkins csv")
    said = ephemeral_to(fake, "UCOCHAIR", mark)
    assert "by direct message" in said and "chairs-only ones included" in said
    [file] = fake.files()
    assert file["channel"] == fake.dm_channel("UCOCHAIR") and file["channel"] != CHANNEL
    assert "for you alone" in file["initial_comment"]
    raw = file["content"]
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert header == ["Week beginning", "Care home", "Manager", "Question", "Answer", "Chairs only", "Answered on"]
    jo = [r for r in rows if r[2] == "Jo Bennett"]
    assert jo == [["2026-11-30", "Bermondsey Lodge", "Jo Bennett", "What has not gone well, and what would need to "
                   "change?", "'=cmd|' /C calc'!A0", "yes", "2026-11-30"]]
    assert {r[2] for r in rows} == {"Alex Morgan", "Jo Bennett", "Tom Reilly"}
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/group", "export checkins csv")
    assert "Only the chair" in ephemeral_to(fake, "UMGR1", mark)
    assert len(fake.files()) == 1
    assert [(e.actor, e.outcome) for e in db.all(AuditEntry, action="export.checkins")] == [
        ("UCOCHAIR", "ok"), ("UMGR1", "refused")]
