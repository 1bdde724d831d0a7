"""NUL and other control characters in what members type are dropped on the way in, the same on SQLite and
PostgreSQL (which refuses a NUL in text); text that held nothing else is refused with a clear message."""

from __future__ import annotations

from storage.models import Action, ActionUpdate, Contribution, Member
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, posted, reply, set_up_group, start_meeting

JUNK = "\x00\x01\x07\x1b\x7f"


def command(driver, fake, user, name, text):
    mark = fake.mark()
    assert driver.command(user, CHANNEL, name, text).status == 200
    return ephemeral_to(fake, user, mark)


def test_control_characters_are_dropped_from_commands_replies_and_forms(bot, driver, fake, db):
    set_up_group(driver, fake)
    said = command(driver, fake, "UCHAIR", "/group", f'role <@UMGR1> manager organisation "Tower{JUNK} Bridge"')
    assert "is now *manager* (Tower Bridge)" in said
    assert db.one(Member, user_id="UMGR1").organisation == "Tower Bridge"

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f"add Fix the{JUNK} door\tnow owner <@UMGR1>")
    posted(fake, "A-1", after=mark)
    assert db.one(Action).description == "Fix the door now"
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", f"report A-1 in-progress Half{JUNK} done\nmore soon")
    posted(fake, "is now _in progress_", after=mark)
    assert db.one(ActionUpdate).note == "Half done more soon"  # the command line keeps words, not lines

    card = start_meeting(driver, fake)
    reply(driver, fake, "UNHS", card, f"Hello{JUNK} there")
    mark = fake.mark()
    driver.click_button("UMGR2", CHANNEL, card["ts"], "I'm here")
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UMGR2", fake.last_view("UMGR2"), {"organisation": f"Lodge{JUNK}",
                                                                   "feeling": f"Fine{JUNK}, thanks"})
    assert answer.status == 200 and not (answer.json or {}).get("errors")
    fake.wait_until(lambda: "2 here" in card_text(fake, card))
    assert sorted(c.text for c in db.all(Contribution)) == ["Fine, thanks", "Hello there"]
    assert db.one(Member, user_id="UMGR2").organisation == "Lodge"


def test_text_of_nothing_but_control_characters_is_refused_clearly(bot, driver, fake, db):
    set_up_group(driver, fake)
    assert "Say what needs doing" in command(driver, fake, "UCHAIR", "/actions", f"add {JUNK} owner <@UMGR1>")
    assert "/group role" in command(driver, fake, "UCHAIR", "/group", f"role <@UMGR1> manager organisation {JUNK}")
    assert db.count(Action) == 0 and db.one(Member, user_id="UCHAIR")
    card = start_meeting(driver, fake)
    mark = fake.mark()
    driver.click_button("UNHS", CHANNEL, card["ts"], "I'm here")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UNHS", fake.last_view("UNHS"), {"organisation": JUNK, "feeling": JUNK})
    fake.wait_until(lambda: "1 here" in card_text(fake, card))
    assert db.count(Contribution) == 0  # attendance only: nothing was said


def test_a_too_long_action_description_in_the_form_says_how_long_it_is(bot, driver, fake, db):
    # Slack's own form stops at 500 characters; a submission that gets past it is still answered clearly.
    set_up_group(driver, fake)
    mark = fake.mark()
    driver.command("UNHS", CHANNEL, "/actions", "add")
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UNHS", fake.last_view("UNHS"), {"description": "word " * 130, "owner": "UNHS"})
    assert answer.status == 200
    assert "649 characters; the limit is 500" in str((answer.json or {}).get("errors")) + str(fake.ephemerals("UNHS"))
    assert db.count(Action) == 0
