"""A group's follow-up meeting: the rules and agreement in force are revisited (kept or amended), every open
action from the first meeting is reported back on from its own card, and the minutes record it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.models import ActionUpdate, AgreementVersion, Contribution, GroundRulesVersion, Meeting, Signature
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, reply, set_up_group, start_meeting


def first_meeting(driver, fake, clock):
    card = start_meeting(driver, fake)
    reply(driver, fake, "UCHAIR", card, "Sam here")
    rules = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UCOCHAIR", rules, "Listen first")
    reply(driver, fake, "UMGR1", rules, "Phones on silent")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement = posted(fake, "Partnership agreement", after=mark)
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We keep our promises."})
    v1 = posted(fake, "Partnership agreement · version 1", after=mark)
    for user in ("UCHAIR", "UMGR1"):
        mark = fake.mark()
        driver.click_button(user, CHANNEL, v1["ts"], "Sign the agreement")
        assert "you have signed version 1" in ephemeral_to(fake, user, mark)
    for number, text in enumerate(("Write the welcome pack owner <@UMGR1> due 2027-01-15",
                                   "Map GP cover across the borough owner <@UMGR2> agency CCG due 2027-01-29",
                                   "Invite the falls team owner <@UNHS>",
                                   "Share the visiting policy owner <@UMGR1>"), start=1):
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/actions", f"add {text}")
        # Wait for this action's own answer (the last one was the previous action's): the numbers follow
        # the order the actions were added in.
        fake.wait_until(lambda n=number: f"Added *A-{n}*" in (fake.ephemerals("UCHAIR")[-1].get("text") or ""))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 1", after=mark)


def test_a_follow_up_meeting_revisits_rules_and_agreement_and_reports_back_on_every_action(
        bot, driver, fake, db, clock):
    clock.current = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    set_up_group(driver, fake)
    give_roles(driver, fake)
    first_meeting(driver, fake, clock)

    # Between meetings: Alex reports on A-1 by command, and closes A-4 (it will still be reported, as done).
    clock.current += timedelta(days=20)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "report A-1 in progress Drafted with two families")
    posted(fake, "A-1* is now _in progress_", after=mark)
    driver.command("UMGR1", CHANNEL, "/actions", "report A-4 done Posted in every home")
    posted(fake, "A-4* is now _done_", after=mark)

    clock.current += timedelta(days=8)
    card = start_meeting(driver, fake)
    assert "Welcome back" in card_text(fake, card) and "(1 of 8)" not in card_text(fake, card)
    reply(driver, fake, "UMGR2", card, "Tired but glad to be here")

    # Ground rules: version 1 is shown; a change is proposed; the chair adopts version 2 (one rule retired).
    rules = next_stage(driver, fake, "Ground rules")
    shown = card_text(fake, rules)
    assert "Ground rules in force (version 1)" in shown and "Listen first" in shown and "Keep version 1" in shown
    reply(driver, fake, "UNHS", rules, "Start and finish on time")
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, rules["ts"], "Adopt a new version")
    fake.wait_for("views.open", after=mark)
    form = fake.last_view("UCHAIR")
    assert form["blocks"][0]["element"]["initial_value"].splitlines() == [
        "Listen first", "Phones on silent", "Start and finish on time"]
    assert "delete it to retire" in str(form["blocks"])
    driver.submit_view("UCHAIR", form, {"text": "Listen first, and to the end\nStart and finish on time"})
    posted(fake, "Ground rules · version 2", after=mark)
    assert [r.rules for r in db.all(GroundRulesVersion)] == [
        ["Listen first", "Phones on silent"], ["Listen first, and to the end", "Start and finish on time"]]

    # The agreement: amended to version 2, which everyone signs again; version 1's signatures are kept.
    agreement = next_stage(driver, fake, "Partnership agreement")
    assert "We keep our promises." in card_text(fake, agreement) and "Keep version 1" in card_text(fake, agreement)
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Amend the agreement")
    fake.wait_for("views.open", after=mark)
    amending = fake.last_view("UCHAIR")
    assert amending["blocks"][0]["element"]["initial_value"] == "We keep our promises."
    driver.submit_view("UCHAIR", amending, {"text": "We keep our promises, and say early when we can't."})
    v2 = posted(fake, "Partnership agreement · version 2", after=mark)
    for user in ("UCHAIR", "UMGR1", "UMGR2"):
        mark = fake.mark()
        driver.click_button(user, CHANNEL, v2["ts"], "Sign the agreement")
        assert "you have signed version 2" in ephemeral_to(fake, user, mark)
    v1_id, v2_id = (v.id for v in db.all(AgreementVersion))
    assert {s.user_id for s in db.all(Signature) if s.agreement_version_id == v1_id} == {"UCHAIR", "UMGR1"}
    assert {s.user_id for s in db.all(Signature) if s.agreement_version_id == v2_id} == {"UCHAIR", "UMGR1", "UMGR2"}

    # Report back: a stage card with the tally, then one card per action from the first meeting.
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    stage = posted(fake, "Report back on actions", after=mark)
    a1, a2, a3, a4 = (posted(fake, f"Report back on A-{n}:", after=mark) for n in (1, 2, 3, 4))
    assert "2 of 4 actions reported" in card_text(fake, stage)
    assert "still to report: Jo Bennett (A-2), Fatima Idris (A-3)" in card_text(fake, stage)
    assert "Drafted with two families" in card_text(fake, a1) and "Reported by Alex Morgan" in card_text(fake, a1)
    assert "Not reported yet" in card_text(fake, a2) and "CCG" in card_text(fake, a2)
    assert "Posted in every home" in card_text(fake, a4)

    # Someone else may not report on Jo's action: they are told whose it is, and nothing changes.
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, a2["ts"], "Report back")
    assert "<@UMGR2>" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(ActionUpdate) == 2

    # Jo reports from the card; the chair records Fatima's for her; a comment goes in a card's thread.
    mark = fake.mark()
    driver.click_button("UMGR2", CHANNEL, a2["ts"], "Report back")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UMGR2", fake.last_view("UMGR2"), {"status": "done", "note": "Map shared with the CCG"})
    fake.wait_until(lambda: "Reported by Jo Bennett" in card_text(fake, a2))
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, a3["ts"], "Report back")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"),
                       {"status": "blocked", "note": "Falls team has no capacity until spring"})
    fake.wait_until(lambda: "Reported by Sam Okafor" in card_text(fake, a3))
    fake.wait_until(lambda: "4 of 4 actions reported" in card_text(fake, stage))
    assert "now *blocked*" in card_text(fake, a3)
    assert not [m for m in fake.messages(CHANNEL) if "is now _" in (m.get("text") or "") and m["ts"] > stage["ts"]]
    reply(driver, fake, "UNHS", a3, "I will ask again in March")
    reply(driver, fake, "UCQC", stage, "Good progress since October")
    assert db.one(Contribution, text="I will ask again in March").details == {"action_id": db.one(
        ActionUpdate, new_status="blocked").action_id}

    # The rest of the meeting as usual, then the minutes with the report-back section.
    next_stage(driver, fake, "Themes")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 2", after=mark)
    minutes = " ".join(str(m.get("blocks")) for m in fake.messages(CHANNEL)[-4:])
    assert "Report back on actions (4)" in minutes
    assert "Map shared with the CCG" in minutes and "Falls team has no capacity until spring" in minutes
    assert "I will ask again in March" in minutes and "Good progress since October" in minutes
    assert "Ground rules (version 2)" in minutes and "Partnership agreement (version 2)" in minutes
    assert "Sam Okafor: blocked" in minutes and "Alex Morgan: in progress: Drafted with two families" in minutes
    meetings = db.all(Meeting)
    assert [m.number for m in meetings] == [1, 2] and meetings[1].is_follow_up

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "export minutes md")
    fake.wait_for("files.completeUploadExternal", after=mark)
    exported = fake.files()[-1]["content"].decode()
    assert "## Report back on actions (4)" in exported and "- Tom Reilly: Good progress since October" in exported
    assert "- **A-2** Map GP cover across the borough (Owner: Jo Bennett; now: **done**)" in exported


def test_a_follow_up_meeting_with_nothing_open_says_so(bot, driver, fake, db, clock):
    clock.current = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    set_up_group(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "start")
    posted(fake, "Welcome and check-in", after=mark)
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 1", after=mark)
    clock.current += timedelta(days=28)
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto report back")
    stage = posted(fake, "Report back on actions", after=mark)
    assert "nothing to report back on" in card_text(fake, stage)
    assert "Keep version" not in card_text(fake, stage)
