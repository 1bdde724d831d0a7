"""The resident-data guardrail, the way Slack drives it: a thread reply that may identify a resident is
held and only its author is told (Edit / Keep as written / Remove); a form shows an inline error the
author can confirm past; `/actions add` and `/actions report` warn before anything is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.ids import Act
from storage.models import Action, ActionUpdate, AuditEntry, Contribution, Minutes
from tests.harness import CHANNEL
from tests.standin import FakeSlack, SlackDriver
from tests.steps import card_text, ephemeral_to, give_roles, posted, reply, set_up_group, start_meeting

NHS = "943 476 5919"  # passes the mod-11 check; made up
HELD = f"Mrs Okoye's NHS number is {NHS}, her hearing aids went missing again"
SAFE = "One resident's hearing aids went missing again; we need a better system"


@pytest.fixture
def card(bot, driver, fake):  # type: ignore[no-untyped-def]
    set_up_group(driver, fake)
    give_roles(driver, fake)
    return start_meeting(driver, fake)


def hold_reply(driver: SlackDriver, fake: FakeSlack, card: dict[str, Any], user: str = "UMGR1") -> tuple[str, Any]:
    """Post a reply that may identify a resident; wait for the private warning; return its ts and the warning."""
    mark = fake.mark()
    _, ts = driver.post_message(user, CHANNEL, HELD, thread_ts=card["ts"])
    warning = fake.wait_for("chat.postEphemeral", after=mark, user=user)
    return ts, warning


def seen_by_others(fake: FakeSlack, token: str, author: str = "UMGR1") -> list[str]:
    """Where `token` went other than to its author: Web API calls (but the author's Edit form, their own
    ephemerals and their response_url answers, whose Keep button carries the command back) and anyone
    else's ephemerals."""
    mine = ("views.open", "response_url")
    calls = [c.method for c in fake.calls if token in json.dumps(c.args) and c.method not in mine
             and not (c.method == "chat.postEphemeral" and c.args.get("user") == author)]
    with fake.ws.lock:
        others = [f"ephemeral to {e['user']}" for e in fake.ws.ephemerals if e["user"] != author
                  and token in json.dumps(e)]
    return calls + others


def test_a_reply_that_may_identify_a_resident_is_held_and_only_its_author_is_told(card, driver, fake, db):
    reply(driver, fake, "UMGR2", card, "Jo here, feeling hopeful")
    ts, warning = hold_reply(driver, fake, card)

    assert warning.args["user"] == "UMGR1" and warning.args["thread_ts"] == card["ts"]
    assert "may identify a resident" in warning.args["text"] and "an NHS number" in warning.args["text"]
    blocks = warning.args["blocks"]
    buttons = [e["text"]["text"] for b in (json.loads(blocks) if isinstance(blocks, str) else blocks)
               if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Edit", "Keep as written", "Remove"]
    stored = db.one(Contribution, message_ts=ts)
    assert stored.held and stored.text == HELD and not stored.withdrawn  # durable, but out of the record
    assert fake.reactions(CHANNEL, ts) == {}  # no ✅ while held
    assert [c.args["user"] for c in fake.calls_to("chat.postEphemeral")] == ["UMGR1"]
    assert "Okoye" not in card_text(fake, card) and "1 " in card_text(fake, card)
    assert seen_by_others(fake, NHS) == [] and seen_by_others(fake, "Okoye") == []


def test_keep_as_written_releases_the_reply_with_its_tick_and_an_audit_entry(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Keep as written")
    fake.wait_for("reactions.add", after=mark, timestamp=ts)
    assert "in the record as you wrote it" in ephemeral_to(fake, "UMGR1", mark)
    assert not db.one(Contribution, message_ts=ts).held
    entry = db.one(AuditEntry, action="guardrail.keep")
    assert (entry.actor, entry.outcome, entry.detail["kinds"]) == ("UMGR1", "ok", ["named_resident", "nhs_number"])
    assert NHS not in json.dumps(entry.detail)
    fake.wait_until(lambda: "Okoye" in card_text(fake, card) or "1 " in card_text(fake, card))


def test_remove_withdraws_the_reply_and_forgets_its_text(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Remove")
    assert "out of the record" in ephemeral_to(fake, "UMGR1", mark)
    stored = db.one(Contribution, message_ts=ts)
    assert stored.withdrawn and stored.text == "" and not stored.held
    assert fake.reactions(CHANNEL, ts) == {}


def test_edit_opens_the_authors_text_checks_it_again_and_saves_the_new_words(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Edit")
    opened = fake.wait_for("views.open", after=mark)
    view = fake.last_view("UMGR1")
    assert view is not None and NHS in json.dumps(view)  # pre-filled, for its author only
    assert opened.args["trigger_id"]

    still = driver.submit_view("UMGR1", view, {"text": HELD.replace("hearing aids", "glasses")})
    assert still.json["response_action"] == "errors" and "may still identify a resident" in str(still.json)
    assert db.one(Contribution, message_ts=ts).held

    mark = fake.mark()
    saved = driver.submit_view("UMGR1", view, {"text": SAFE})
    assert saved.status == 200 and not (saved.json or {}).get("errors")
    fake.wait_for("reactions.add", after=mark, timestamp=ts)
    stored = db.one(Contribution, message_ts=ts)
    assert (stored.text, stored.held) == (SAFE, False)
    assert "edited reply" in ephemeral_to(fake, "UMGR1", mark)


def test_edit_can_be_confirmed_past_the_warning_with_the_box(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Edit")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UMGR1")
    saved = driver.submit_view("UMGR1", view, {"resident_check": ["checked"]})
    assert saved.status == 200 and not (saved.json or {}).get("errors")
    stored = db.one(Contribution, message_ts=ts)
    assert (stored.text, stored.held) == (HELD, False)
    assert db.one(AuditEntry, action="guardrail.keep").actor == "UMGR1"


def test_nobody_but_the_author_can_act_on_a_held_reply_and_the_refusal_is_audited(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    row = db.one(Contribution, message_ts=ts)
    for action in (Act.GUARD_KEEP, Act.GUARD_REMOVE, Act.GUARD_EDIT):
        mark = fake.mark()
        driver.click("UNHS", action, str(row.id), channel=CHANNEL)
        assert "Only the person who wrote that reply" in ephemeral_to(fake, "UNHS", mark)
    after = db.one(Contribution, message_ts=ts)
    assert (after.held, after.withdrawn, after.text) == (True, False, HELD)
    assert [e.outcome for e in db.all(AuditEntry, actor="UNHS")] == ["refused"] * 3
    assert fake.last_view("UNHS") is None  # the Edit form never opened for them
    assert seen_by_others(fake, NHS) == []


def test_editing_the_message_in_slack_releases_or_holds_it(card, driver, fake, db):
    ts, _ = hold_reply(driver, fake, card)
    mark = fake.mark()
    driver.edit_message("UMGR1", CHANNEL, ts, SAFE)
    fake.wait_for("reactions.add", after=mark, timestamp=ts)
    assert not db.one(Contribution, message_ts=ts).held

    mark = fake.mark()
    driver.edit_message("UMGR1", CHANNEL, ts, HELD)  # and back: held again, its ✅ taken off
    fake.wait_for("reactions.remove", after=mark, timestamp=ts)
    fake.wait_for("chat.postEphemeral", after=mark, user="UMGR1")
    assert db.one(Contribution, message_ts=ts).held


def test_nothing_held_reaches_the_channel_or_the_minutes(card, driver, fake, db):
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto feedback")
    feedback = posted(fake, "Feedback", after=mark)
    reply(driver, fake, "UMGR2", feedback, "The session felt hopeful")
    hold_reply(driver, fake, feedback)
    fake.wait_until(lambda: "1 " in card_text(fake, feedback))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    minutes = posted(fake, "Minutes · Meeting 1", after=mark)
    assert "hopeful" in card_text(fake, minutes)
    for token in (NHS, "Okoye"):
        assert token not in card_text(fake, minutes)
        assert all(token not in m.markdown for m in db.all(Minutes))
        assert seen_by_others(fake, token) == []


# --- forms ----------------------------------------------------------------------------------------------

def open_form(driver: SlackDriver, fake: FakeSlack, card: dict[str, Any], user: str, button: str) -> Any:
    mark = fake.mark()
    driver.click_button(user, CHANNEL, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    return fake.last_view(user)


def test_a_form_shows_an_inline_error_and_the_author_can_confirm_past_it(card, driver, fake, db):
    view = open_form(driver, fake, card, "UMGR1", "I'm here")
    assert "I've checked: no resident can be identified" in json.dumps(view)
    feeling = f"Worried: Mrs Okoye in room 12 fell again, {NHS}"
    first = driver.submit_view("UMGR1", view, {"feeling": feeling})
    errors = first.json["errors"]
    assert list(errors) == ["feeling"] and "may identify a resident" in errors["feeling"]
    assert "Okoye" not in errors["feeling"] and NHS not in errors["feeling"]
    assert db.count(Contribution) == 0  # nothing stored, nothing posted

    second = driver.submit_view("UMGR1", view, {"feeling": feeling, "resident_check": ["checked"]})
    assert second.status == 200 and not (second.json or {}).get("errors")
    stored = db.one(Contribution, user_id="UMGR1")
    assert stored.text == feeling and not stored.held


def test_a_form_without_identifiers_needs_no_box(card, driver, fake, db):
    view = open_form(driver, fake, card, "UMGR1", "I'm here")
    answer = driver.submit_view("UMGR1", view, {"feeling": "Hopeful; residents enjoyed the garden"})
    assert answer.status == 200 and not (answer.json or {}).get("errors")
    assert db.one(Contribution, user_id="UMGR1").text == "Hopeful; residents enjoyed the garden"


# --- slash commands -------------------------------------------------------------------------------------

def test_actions_add_warns_first_and_keep_as_written_adds_it(card, driver, fake, db):
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "add Chase hearing aids for Mrs Okoye in room 12 owner <@UMGR1>")
    warning = ephemeral_to(fake, "UMGR1", mark)
    assert "may identify a resident" in warning and "Nothing has been saved or posted yet" in warning
    assert "Okoye" not in warning and db.count(Action) == 0
    assert seen_by_others(fake, "Okoye") == []

    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Keep as written")
    posted(fake, "Chase hearing aids", after=mark)
    assert db.one(Action).description == "Chase hearing aids for Mrs Okoye in room 12"


def test_actions_add_cancel_stores_and_posts_nothing(card, driver, fake, db):
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "add Review falls for Mr Adebayo in room 3 owner <@UMGR1>")
    ephemeral_to(fake, "UMGR1", mark)
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Cancel")
    assert "nothing was saved or posted" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(Action) == 0
    assert seen_by_others(fake, "Adebayo") == []


def test_actions_report_warns_before_the_note_is_stored(card, driver, fake, db):
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "add Sensor mats in every home owner <@UMGR1>")
    posted(fake, "Sensor mats", after=mark)
    fake.wait_until(lambda: any("Added" in (e.get("text") or "") for e in fake.ephemerals("UMGR1")))
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "report A-1 in progress Mr Adebayo fell again on Sunday")
    assert "may identify a resident" in ephemeral_to(fake, "UMGR1", mark)
    assert db.count(ActionUpdate) == 0 and seen_by_others(fake, "Adebayo") == []
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Keep as written")
    fake.wait_until(lambda: db.count(ActionUpdate) == 1)
    assert db.one(ActionUpdate).note == "Mr Adebayo fell again on Sunday"
