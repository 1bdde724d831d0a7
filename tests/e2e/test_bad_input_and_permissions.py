"""Bad input and people without the role: each gets a clear private answer, and nothing changes."""

from __future__ import annotations

import pytest

from storage.models import AgreementVersion, AuditEntry, Contribution, GroundRulesVersion, Meeting, Member, Signature
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, reply, set_up_group, start_meeting


@pytest.fixture
def meeting_card(bot, driver, fake):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    return start_meeting(driver, fake)


def say(driver, fake, user, command, text):
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return ephemeral_to(fake, user, mark)


@pytest.mark.parametrize(("command", "text"), [("/meeting", "dance"), ("/group", "delete everything")])
def test_an_unknown_subcommand_is_answered_with_the_usage(bot, driver, fake, command, text):
    answer = say(driver, fake, "UCHAIR", command, text)
    assert f"I don't know `{command} {text}`" in answer and f"`{command} help`" in answer


def test_meeting_commands_in_a_channel_without_a_group_say_how_to_set_one_up(bot, driver, fake, db):
    assert "Run `/group setup`" in say(driver, fake, "UCHAIR", "/meeting", "start")
    assert db.count(Meeting) == 0


def test_next_with_no_meeting_running_says_how_to_start_one(bot, driver, fake, db):
    set_up_group(driver, fake)
    assert "No meeting is running" in say(driver, fake, "UCHAIR", "/meeting", "next")


def test_start_while_a_meeting_runs_is_refused(meeting_card, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/meeting", "start")
    assert "Meeting 1 is already running (stage: Welcome and check-in)" in answer
    assert db.count(Meeting) == 1


def test_a_member_cannot_advance_the_meeting_and_is_told_who_can(meeting_card, driver, fake, db):
    answer = say(driver, fake, "UMGR1", "/meeting", "next")
    assert "Only the chair or a co-chair (<@UCHAIR>, <@UCOCHAIR>)" in answer
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, meeting_card["ts"], "Next stage")
    assert "Only the chair" in ephemeral_to(fake, "UMGR1", mark)
    assert db.one(Meeting).stage == "check_in"
    refusals = [(a.actor, a.action) for a in db.all(AuditEntry, outcome="refused")]
    assert refusals == [("UMGR1", "meeting.next"), ("UMGR1", "meeting.next")]


def test_a_member_cannot_adopt_the_ground_rules(meeting_card, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    mark = fake.mark()
    driver.click_button("UNHS", CHANNEL, rules_card["ts"], "Adopt ground rules")
    assert "Only the chair" in ephemeral_to(fake, "UNHS", mark)
    assert not fake.calls_to("views.open", trigger_id=None) or fake.last_view("UNHS") is None
    assert db.count(GroundRulesVersion) == 0


def test_the_co_chair_can_run_the_meeting(meeting_card, driver, fake, db):
    next_stage(driver, fake, "Ground rules", user="UCOCHAIR")
    assert db.one(Meeting).stage == "ground_rules"


def test_goto_an_unknown_stage_lists_the_stages(meeting_card, driver, fake, db):
    answer = say(driver, fake, "UCHAIR", "/meeting", "goto lunch")
    assert 'no stage called "lunch"' in answer and "2. Ground rules" in answer
    assert db.one(Meeting).stage == "check_in"


def test_an_overlong_thread_reply_is_refused_and_not_recorded(meeting_card, driver, fake, db):
    mark = fake.mark()
    driver.post_message("UMGR1", CHANNEL, "x" * 5000, thread_ts=meeting_card["ts"])
    assert "That is 5000 characters; the limit is 3000" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(Contribution) == 0


def test_an_empty_modal_contribution_is_refused_in_the_modal(meeting_card, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, rules_card["ts"], "Propose a rule")
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UMGR1", fake.last_view("UMGR1"), {"text": "   "})
    assert answer.json["response_action"] == "errors"
    assert "That was empty" in answer.json["errors"]["text"]
    assert db.count(Contribution) == 0


def test_a_modal_submitted_twice_is_recorded_once(meeting_card, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, rules_card["ts"], "Propose a rule")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UMGR1")
    for _ in range(2):
        assert driver.submit_view("UMGR1", view, {"text": "Be kind"}).status == 200
    fake.wait_until(lambda: "1 proposal from 1 person" in card_text(fake, rules_card))
    assert db.count(Contribution) == 1


def test_role_for_someone_not_in_the_channel_is_refused(bot, driver, fake, db):
    set_up_group(driver, fake)
    answer = say(driver, fake, "UCHAIR", "/group", "role <@UOUTSIDER|olly> manager")
    assert "<@UOUTSIDER> is not in this channel" in answer
    assert db.count(Member, user_id="UOUTSIDER") == 0


def test_a_bad_role_command_shows_the_right_form(bot, driver, fake, db):
    set_up_group(driver, fake)
    assert "/group role @user &lt;chair|co-chair|member|manager|observer&gt;" in say(driver, fake, "UCHAIR", "/group",
                                                                             "role alex boss")


def test_a_member_cannot_change_roles(bot, driver, fake, db):
    set_up_group(driver, fake)
    assert "Only the chair" in say(driver, fake, "UMGR1", "/group", "role <@UMGR1> chair")
    assert db.one(Member, user_id="UCHAIR").role == "chair"


def test_a_reply_to_a_card_of_a_closed_meeting_is_not_recorded(meeting_card, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Meeting 1 has ended", after=mark)
    mark = fake.mark()
    driver.post_message("UMGR1", CHANNEL, "Sorry I'm late!", thread_ts=meeting_card["ts"])
    assert "Meeting 1 has ended, so this was not recorded" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(Contribution) == 0
    assert "This meeting has ended" in card_text(fake, meeting_card)


def test_signing_a_superseded_version_is_refused_and_points_to_the_new_one(meeting_card, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto agreement")
    agreement_card = posted(fake, "Partnership agreement", after=mark)
    versions = []
    for text in ["We listen.", "We listen and we act."]:
        mark = fake.mark()
        driver.click_button("UCHAIR", CHANNEL, agreement_card["ts"], "Write up the agreement")
        fake.wait_for("views.open", after=mark)
        driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": text})
        versions.append(posted(fake, f"Partnership agreement · version {len(versions) + 1}", after=mark))
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, versions[0]["ts"], "Sign the agreement")
    assert "Version 1 has been replaced by version 2" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(Signature) == 0 and db.count(AgreementVersion) == 2


def test_a_reply_outside_any_card_thread_is_ignored(meeting_card, driver, fake, db):
    driver.post_message("UMGR1", CHANNEL, "Just chatting")
    reply(driver, fake, "UMGR1", meeting_card, "Alex here")  # a real one after it, to know the first was seen
    assert [c.text for c in db.all(Contribution)] == ["Alex here"]

