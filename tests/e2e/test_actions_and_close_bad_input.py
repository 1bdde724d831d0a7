"""Bad input around themes, actions, feedback and minutes: a clear answer, and nothing half-written."""

from __future__ import annotations

from datetime import date

import pytest

from storage.models import Action, AuditEntry, Member
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, posted, reply, set_up_group, start_meeting


def say(driver, fake, user, command, text):
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return ephemeral_to(fake, user, mark)


@pytest.fixture
def group(bot, driver, fake):
    set_up_group(driver, fake)  # members: the chair and co-chair only


def test_an_action_without_an_owner_is_refused_with_the_right_form(group, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/actions", "add Review the discharge letters")
    assert "owner" in answer and "/actions add" in answer
    assert db.count(Action) == 0


def test_an_owner_outside_the_group_is_offered_to_be_added(group, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/actions", "add Review the discharge letters owner <@UMGR1>")
    assert "<@UMGR1> is not in this group yet" in answer
    assert db.count(Action) == 0 and db.count(Member, user_id="UMGR1") == 0
    mark = fake.mark()
    driver.click_ephemeral_button("UCHAIR", "Yes, add it")
    posted(fake, "A-1", after=mark)
    assert db.one(Action).owner_id == "UMGR1" and db.one(Member, user_id="UMGR1").role == "member"


def test_a_past_due_date_is_confirmed_before_it_is_used(group, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/actions", "add Audit falls owner <@UCOCHAIR> due 2026-10-01")
    assert "Thu 1 October 2026, is in the past" in answer
    assert db.count(Action) == 0
    mark = fake.mark()
    driver.click_ephemeral_button("UCHAIR", "Yes, add it")
    posted(fake, "A-1", after=mark)
    driver.click_ephemeral_button("UCHAIR", "Yes, add it")  # a second click adds nothing more
    assert db.one(Action).due_date == date(2026, 10, 1)


def test_a_date_that_cannot_be_read_says_so_with_examples(group, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/actions", "add Audit falls owner <@UCOCHAIR> due when pigs fly")
    assert "next Friday" in answer and "2027-01-31" in answer
    assert db.count(Action) == 0


def test_a_theme_not_in_the_set_lists_the_valid_ones(group, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/actions", "add Audit falls owner <@UCOCHAIR> theme Gardening")
    assert "Managing Transitions" in answer and "Gardening" in answer
    assert db.count(Action) == 0


def test_an_action_added_after_the_meeting_closed_belongs_to_the_group(group, driver, fake, db):
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Meeting 1 has ended", after=mark)
    mark = fake.mark()
    driver.command("UCOCHAIR", CHANNEL, "/actions", "add Chase the pharmacy owner <@UCOCHAIR>")
    posted(fake, "A-1", after=mark)
    assert db.one(Action).meeting_id is None


def test_the_add_action_form_asks_again_for_a_past_date_and_a_missing_volunteer(group, driver, fake, db):
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto actions")
    card = posted(fake, "Actions", after=mark)
    mark = fake.mark()
    driver.click_button("UCOCHAIR", CHANNEL, card["ts"], "Add an action")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UCOCHAIR")
    answer = driver.submit_view("UCOCHAIR", view, {"description": "Invite the ambulance service", "owner": "UCOCHAIR",
                                                   "agency_absent": ["absent"]})
    assert "choose who will follow up" in answer.json["errors"]["volunteer"]
    answer = driver.submit_view("UCOCHAIR", view, {"description": "Invite the ambulance service", "owner": "UCOCHAIR",
                                                   "due": "2026-11-01"})
    assert answer.json["response_action"] == "update" and "is in the past" in str(answer.json["view"]["blocks"][0])
    assert db.count(Action) == 0
    again = fake.last_view("UCOCHAIR")
    assert driver.submit_view("UCOCHAIR", again, {}).status == 200  # pressing Add again keeps the date
    fake.wait_until(lambda: db.count(Action) == 1)
    assert db.one(Action).due_date == date(2026, 11, 1)


def test_unknown_themes_and_a_member_choosing_themes_are_refused(group, driver, fake, db):
    start_meeting(driver, fake)
    assert "Gardening" in say(driver, fake, "UCHAIR", "/meeting", "themes Gardening, Creating Community")
    assert "Only the chair" in say(driver, fake, "UMGR1", "/meeting", "themes Creating Community")


def test_feedback_from_someone_who_did_not_attend_is_kept_and_marked(group, driver, fake, db):
    card = start_meeting(driver, fake)
    reply(driver, fake, "UCHAIR", card, "Sam here")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto feedback")
    feedback = posted(fake, "Feedback", after=mark)
    reply(driver, fake, "UHW", feedback, "Sorry I missed it; the notes look useful")
    fake.wait_until(lambda: "0 of 1 attendee gave feedback, and 1 other" in card_text(fake, feedback))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    minutes = posted(fake, "Minutes · Meeting 1", after=mark)
    # In the channel feedback has no names; the chair's own copy names Grace and says she was not there.
    section = card_text(fake, minutes).split("*Feedback*")[1]
    assert "• Someone\n   Felt: Sorry I missed it" in section and "Grace Lee" not in section
    chairs_copy = say(driver, fake, "UCHAIR", "/meeting", "minutes")
    assert "Grace Lee (did not attend)" in str(fake.ephemerals("UCHAIR")[-1]["blocks"]), chairs_copy


def test_minutes_of_a_running_or_unknown_meeting_and_exports_by_members_are_refused(group, driver, fake, db):
    start_meeting(driver, fake)
    assert "has not closed yet" in say(driver, fake, "UMGR1", "/meeting", "minutes")
    assert "There is no meeting 7" in say(driver, fake, "UMGR1", "/meeting", "minutes 7")
    assert "Only the chair" in say(driver, fake, "UMGR1", "/group", "export minutes md")
    assert [a.action for a in db.all(AuditEntry, outcome="refused")] == ["export.minutes"]


def test_apologies_are_recorded_and_the_minutes_tell_them_from_absence(group, driver, fake, db):
    driver.command("UCHAIR", CHANNEL, "/group", "role <@UHW> member organisation Healthwatch")
    driver.command("UCHAIR", CHANNEL, "/group", "role <@UCQC> member organisation CQC")
    card = start_meeting(driver, fake)
    reply(driver, fake, "UCHAIR", card, "Sam here")
    mark = fake.mark()
    driver.click_button("UHW", CHANNEL, card["ts"], "Send apologies")
    assert "Your apologies are recorded" in ephemeral_to(fake, "UHW", mark)
    fake.wait_until(lambda: "apologies from Grace Lee" in card_text(fake, card))
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, card["ts"], "Send apologies")
    assert "already checked in" in ephemeral_to(fake, "UCHAIR", mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    minutes = card_text(fake, posted(fake, "Minutes · Meeting 1", after=mark))
    assert "Apologies (1):* Grace Lee" in minutes and "Absent" in minutes and "Tom Reilly" in minutes
