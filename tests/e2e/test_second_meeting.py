"""A group's second meeting: the rules and agreement in force are shown, can be kept or amended."""

from __future__ import annotations

from storage.models import AgreementVersion, GroundRulesVersion, Meeting
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, next_stage, posted, reply, set_up_group, start_meeting


def first_meeting(driver, fake):
    card = start_meeting(driver, fake)
    reply(driver, fake, "UCHAIR", card, "Sam here")
    rules = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UCOCHAIR", rules, "Listen first")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement = posted(fake, "Partnership agreement", after=mark)
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We keep our promises."})
    posted(fake, "Partnership agreement · version 1", after=mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Minutes · Meeting 1", after=mark)


def test_a_second_meeting_shows_what_is_in_force_and_can_amend_it(bot, driver, fake, db):
    set_up_group(driver, fake)
    first_meeting(driver, fake)

    card = start_meeting(driver, fake)
    assert "Welcome back" in card_text(fake, card)
    rules = next_stage(driver, fake, "Ground rules")
    assert "Ground rules in force (version 1)" in card_text(fake, rules) and "Listen first" in card_text(fake, rules)
    agreement = next_stage(driver, fake, "Partnership agreement")  # keeping version 1 needs no question
    assert "We keep our promises." in card_text(fake, agreement)

    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    amending = fake.last_view("UCHAIR")
    assert amending["blocks"][0]["element"]["initial_value"] == "We keep our promises."  # starts from version 1
    driver.submit_view("UCHAIR", amending, {"text": "We keep our promises, and say early when we can't."})
    posted(fake, "Partnership agreement · version 2", after=mark)
    assert [v.version for v in db.all(AgreementVersion)] == [1, 2]
    assert db.count(GroundRulesVersion) == 1
    assert [m.number for m in db.all(Meeting)] == [1, 2] and db.all(Meeting)[1].is_follow_up
