"""Journey: a chair sets up the group and opens its first meeting, through to a signed agreement.

Read it as the conversation it is: every step is a signed request into the bot, and every check is on
what the Slack stand-in received and on what the database holds.
"""

from __future__ import annotations

from storage.models import (
    AgreementVersion,
    Attendance,
    AuditEntry,
    Contribution,
    GroundRulesVersion,
    Group,
    Meeting,
    Member,
    Signature,
)
from tests.harness import CHANNEL
from tests.steps import (
    card_text,
    ephemeral_to,
    give_roles,
    next_stage,
    posted,
    reply,
    set_up_group,
    start_meeting,
)

ATTENDEES = ["UCHAIR", "UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC"]  # UHW sends apologies, signs later


def test_a_first_meeting_opens_with_check_in_rules_and_a_signed_agreement(bot, driver, fake, db):
    set_up_group(driver, fake)
    group = db.one(Group)
    assert (group.name, group.theme_set, group.timezone) == ("Southwark Care Home Strategy Group", "my_home_life",
                                                              "Europe/London")
    give_roles(driver, fake)
    roles = {m.user_id: (m.role, m.organisation) for m in db.all(Member)}
    assert roles["UCHAIR"][0] == "chair" and roles["UCOCHAIR"][0] == "co-chair"
    assert roles["UMGR1"] == ("manager", "Tower Bridge Care Home")

    # 1. Welcome and check-in: three reply in the thread, three press "I'm here".
    card = start_meeting(driver, fake)
    for user, words in [("UCHAIR", "Sam, chair. Glad to be here"), ("UMGR1", "Alex, Tower Bridge. Tired but keen"),
                        ("UNHS", "Fatima, NHS. Good, thanks")]:
        reply(driver, fake, user, card, words)
    for user in ["UCOCHAIR", "UMGR2", "UCQC"]:
        mark = fake.mark()
        driver.click_button(user, CHANNEL, card["ts"], "I'm here")
        fake.wait_for("views.open", after=mark)
        assert driver.submit_view(user, fake.last_view(user), {"feeling": "Hopeful"}).status == 200
    fake.wait_until(lambda: "6 here" in card_text(fake, card), message="check-in card shows 6 here")
    assert "Alex Morgan" in card_text(fake, card)  # names, not ids
    assert sorted(a.user_id for a in db.all(Attendance)) == sorted(ATTENDEES)

    # 2. Ground rules: proposals by thread and by modal; /meeting next asks to adopt; adopt all.
    rules_card = next_stage(driver, fake, "Ground rules")
    assert "What is said in the room stays in the room" in card_text(fake, rules_card)  # examples from templates
    for user, rule in [("UMGR1", "No blame, ever"), ("UNHS", "Phones away"), ("UCQC", "Start and finish on time")]:
        reply(driver, fake, user, rules_card, rule)
    mark = fake.mark()
    driver.click_button("UMGR2", CHANNEL, rules_card["ts"], "Propose a rule")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UMGR2", fake.last_view("UMGR2"), {"text": "Listen to understand"})
    fake.wait_until(lambda: "4 proposals from 4 people" in card_text(fake, rules_card))

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    assert "have not been adopted yet" in ephemeral_to(fake, "UCHAIR", mark)
    assert db.one(Meeting).stage == "ground_rules"
    mark = fake.mark()
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    posted(fake, "Ground rules · version 1", after=mark)
    agreement_card = posted(fake, "Partnership agreement", after=mark)
    rules = db.one(GroundRulesVersion)
    assert rules.version == 1 and rules.rules == ["No blame, ever", "Phones away", "Start and finish on time",
                                                  "Listen to understand"]

    # 3. Partnership agreement: contributions, the chair writes it up from a pre-filled modal, publishes.
    for user, words in [("UMGR1", "Treat managers as equal partners"), ("UNHS", "Share information early"),
                        ("UCQC", "Celebrate what goes well")]:
        reply(driver, fake, user, agreement_card, words)
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, agreement_card["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    draft = fake.last_view("UCHAIR")
    prefilled = draft["blocks"][0]["element"]["initial_value"]
    assert "• Treat managers as equal partners" in prefilled and "• Celebrate what goes well" in prefilled
    final = prefilled + "\n• Keep our promises, or say early when we can't"
    mark = fake.mark()
    assert driver.submit_view("UCHAIR", draft, {"text": final}).status == 200
    published = posted(fake, "Partnership agreement · version 1", after=mark)
    fake.wait_until(lambda: db.one(AgreementVersion).message_ts == published["ts"])
    assert db.one(AgreementVersion).text == final

    # Everyone present signs; the message shows who has and has not.
    for user in ATTENDEES:
        mark = fake.mark()
        driver.click_button(user, CHANNEL, published["ts"], "Sign the agreement")
        assert "you have signed version 1" in ephemeral_to(fake, user, mark)
    fake.wait_until(lambda: "Signed (6)" in card_text(fake, published))
    shown = card_text(fake, published)
    assert "*Not yet signed (1):* Grace Lee" in shown

    # A double click changes nothing.
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, published["ts"], "Sign the agreement")
    assert "signed version 1 already" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(Signature) == 6

    # The chair closes the meeting; the absent member signs afterwards.
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Meeting 1 has ended", after=mark)
    assert db.one(Meeting).status == "ended"
    mark = fake.mark()
    driver.click_button("UHW", CHANNEL, published["ts"], "Sign the agreement")
    assert "you have signed version 1" in ephemeral_to(fake, "UHW", mark)
    fake.wait_until(lambda: "Signed (7)" in card_text(fake, published))
    assert "Not yet signed" not in card_text(fake, published)
    assert db.count(Signature) == 7

    # What was said is all in the database, attributed; the audit log has the privileged steps.
    said = {(c.stage, c.user_id): c.text for c in db.all(Contribution)}
    assert said[("check_in", "UMGR1")] == "Alex, Tower Bridge. Tired but keen"
    assert said[("agreement", "UCQC")] == "Celebrate what goes well"
    actions = [(a.actor, a.action) for a in db.all(AuditEntry) if a.outcome == "ok"]
    for expected in [("UCHAIR", "group.create"), ("UCHAIR", "meeting.start"), ("UCHAIR", "rules.adopt"),
                     ("UCHAIR", "agreement.publish"), ("UCHAIR", "meeting.end"), ("UHW", "agreement.sign")]:
        assert expected in actions
