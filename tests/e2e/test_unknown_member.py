"""A member Slack cannot look up (users.info answers user_not_found, or fails) is shown by their mention;
cards, member lists and action lists never wait on their name."""

from __future__ import annotations

from storage.models import Member
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, next_stage, posted, reply, set_up_group, start_meeting


def say(driver, fake, user, command, text):
    mark = fake.mark()
    driver.command(user, CHANNEL, command, text)
    return ephemeral_to(fake, user, mark)


def test_an_unknown_member_is_shown_by_mention_and_blocks_nothing(bot, driver, fake, db):
    set_up_group(driver, fake)
    card = start_meeting(driver, fake)
    # UGHOST is in the channel but unknown to users.info (a deleted or foreign account): user_not_found.
    assert driver.member_joined("UGHOST", CHANNEL).status == 200
    fake.wait_until(lambda: db.count(Member, user_id="UGHOST") == 1)
    reply(driver, fake, "UGHOST", card, "Hello from nobody Slack knows")
    fake.wait_until(lambda: "<@UGHOST>" in card_text(fake, card))
    assert fake.calls_to("users.info", user="UGHOST")[0].error == "user_not_found"

    rules = next_stage(driver, fake, "Ground rules")  # the next card is posted all the same
    reply(driver, fake, "UMGR1", rules, "Listen first")
    fake.wait_until(lambda: "1 proposal" in card_text(fake, rules))
    assert "Alex Morgan" in say(driver, fake, "UCHAIR", "/group", "members")
    assert "<@UGHOST>: member" in say(driver, fake, "UCHAIR", "/group", "members")

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add Find out who UGHOST is owner <@UGHOST>")
    fake.wait_until(lambda: "not in the group" in (fake.ephemerals("UCHAIR")[-1].get("text") or "")
                    or "A-1" in (fake.ephemerals("UCHAIR")[-1].get("text") or ""))
    if "A-1" not in (fake.ephemerals("UCHAIR")[-1].get("text") or ""):
        driver.click_ephemeral_button("UCHAIR", "Yes, add it")
    posted(fake, "A-1", after=mark, channel=CHANNEL)
    assert "<@UGHOST>" in say(driver, fake, "UCHAIR", "/actions", "all") + str(fake.ephemerals("UCHAIR")[-1])

    # The unknown member was asked about once, not on every redraw since.
    assert len(fake.calls_to("users.info", user="UGHOST")) == 1


def test_a_failing_name_lookup_falls_back_to_the_mention(bot, driver, fake, db):
    set_up_group(driver, fake)
    card = start_meeting(driver, fake)
    fake.fail("users.info", status=200, error="internal_error", times=50)
    reply(driver, fake, "UMGR2", card, "Here, a bit late")
    fake.wait_until(lambda: "<@UMGR2>" in card_text(fake, card))
    next_stage(driver, fake, "Ground rules")
    assert "<@UMGR2>: member" in say(driver, fake, "UCHAIR", "/group", "members")
