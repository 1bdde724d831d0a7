"""The weekly check-in refuses bad input plainly: each case says what was wrong and the right form."""

from __future__ import annotations

import pytest

from storage.models import AuditEntry, CheckinAnswer, CheckinSchedule
from tests.checkin_steps import answer, chair_says
from tests.harness import CHANNEL
from tests.steps import ephemeral_to, set_up_group


@pytest.mark.parametrize("text, expected", [
    ("schedule 09:00", "Tell me the day and time"),
    ("schedule someday 09:00", '"someday" is not a day of the week'),
    ("schedule monday 25:00", '"25:00" is not a time of day'),
    ("schedule monday 13pm", '"13pm" is not a time of day'),
    ("schedule monday 09:00 Mars/Olympus", "not a time zone I know"),
])
def test_a_bad_schedule_is_refused_with_the_right_form(checkin_group, bot, driver, fake, db, text, expected):
    assert expected in chair_says(driver, fake, text)
    assert db.count(CheckinSchedule) == 0


def test_a_non_chair_cannot_schedule_and_the_refusal_is_audited(checkin_group, bot, driver, fake, db):
    said = chair_says(driver, fake, "schedule monday 09:00", user="UMGR1")
    assert "Only the chair or a co-chair" in said
    assert db.count(CheckinSchedule) == 0
    refusal = db.all(AuditEntry, action="checkin.schedule")[-1]
    assert (refusal.actor, refusal.outcome) == ("UMGR1", "refused")


def test_send_with_no_managers_says_how_to_add_them(bot, driver, fake, db):
    set_up_group(driver, fake)
    said = chair_says(driver, fake, "send")
    assert "no managers yet" in said and "/group role @someone manager" in said


def test_a_second_send_the_same_week_sends_nothing_new(checkin_group, bot, driver, fake, db):
    assert "going out to 4 managers" in chair_says(driver, fake, "send")
    fake.wait_until(lambda: all(fake.dms(u) for u in ["UMGR1", "UMGR2", "UCQC", "UHW"]))
    assert "already gone out to every manager" in chair_says(driver, fake, "send")
    assert all(len(fake.dms(u)) == 1 for u in ["UMGR1", "UMGR2", "UCQC", "UHW"])


def test_a_form_with_every_answer_empty_asks_for_one(checkin_group, bot, driver, fake, db):
    _, response = answer(driver, fake, "UMGR1", {}, by_button=False, expect_ok=False)
    assert response.json["response_action"] == "errors"
    assert "Answer at least one question" in response.json["errors"]["answer_working_well"]
    assert db.count(CheckinAnswer) == 0


def test_an_answer_over_3000_characters_is_refused_in_the_form(checkin_group, bot, driver, fake, db):
    _, response = answer(driver, fake, "UMGR1", {"answer_support": "x" * 3001}, by_button=False, expect_ok=False)
    assert "3001 characters; the limit is 3000" in response.json["errors"]["answer_support"]
    assert db.count(CheckinAnswer) == 0


def test_someone_who_is_not_a_manager_is_told_who_the_check_in_is_for(checkin_group, bot, driver, fake):
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/checkin", "")
    assert "for the group's care-home managers" in ephemeral_to(fake, "UNHS", mark)


def test_help_lists_the_subcommands(checkin_group, bot, driver, fake):
    said = chair_says(driver, fake, "help", user="UMGR1")
    assert "/checkin schedule" in said and "/checkin away until" in said
