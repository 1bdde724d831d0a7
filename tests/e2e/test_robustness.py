"""Slack's hard edges: forged or stale signatures, re-sent events, rate limits, restarts, edits and deletions."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from handlers.jobs import repost_unposted_cards
from storage.models import Contribution, GroundRulesVersion, StageCard
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, reply, set_up_group, start_meeting


@pytest.fixture
def meeting_card(bot, driver, fake):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    return start_meeting(driver, fake)


@pytest.mark.parametrize("forgery", [
    {"signature": "v0=" + "0" * 64},
    {"timestamp": str(int(time.time()) - 600)},  # older than Slack's five minutes
    {"timestamp": "yesterday"},  # bolt itself would answer 500 to this one
    {"timestamp": ""},
])
def test_requests_with_a_bad_or_stale_signature_are_refused_with_401(bot, driver, fake, db, forgery):
    answer = driver.command("UCHAIR", CHANNEL, "/meeting", "start", **forgery)
    assert answer.status == 401
    assert not fake.calls_to("chat.postMessage")


def test_the_health_check_answers(bot):
    with urllib.request.urlopen(f"{bot.base_url}/healthz") as answer:
        assert answer.status == 200 and json.load(answer) == {"ok": True}


def test_a_re_sent_event_is_recorded_once(meeting_card, driver, fake, db):
    reply(driver, fake, "UMGR1", meeting_card, "Alex here, feeling fine")
    for attempt in (1, 2):
        assert driver.resend(retry_num=attempt).status == 200
    reply(driver, fake, "UMGR2", meeting_card, "Jo here")  # processed after the retries: they were seen
    assert db.count(Contribution, user_id="UMGR1") == 1
    assert len(fake.calls_to("reactions.add")) == 2


def test_a_rate_limited_post_is_retried_and_the_card_appears_once(meeting_card, driver, fake, db):
    fake.fail("chat.postMessage", status=429, retry_after=0, times=1)
    fake.fail("chat.update", status=503, times=1)
    rules_card = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UNHS", rules_card, "Phones away")
    fake.wait_until(lambda: "1 proposal" in card_text(fake, rules_card))
    cards = [c for c in fake.calls_to("chat.postMessage") if "Ground rules" in (c.args.get("text") or "")]
    assert [c.status for c in cards] == [429, 200]
    assert db.count(StageCard, stage="ground_rules") == 1


def test_a_card_slack_never_accepted_is_posted_later_by_the_scheduler(meeting_card, bot, driver, fake, db, clock):
    fake.fail("chat.postMessage", status=500, times=10)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    assert "what you did is saved" in ephemeral_to(fake, "UCHAIR", mark)
    assert db.one(StageCard, stage="ground_rules").ts is None
    fake.clear_failures()
    clock.advance(minutes=2)
    assert repost_unposted_cards(bot.bundle.app.client, bot.bundle.deps) == 1
    card = db.one(StageCard, stage="ground_rules")
    assert card.ts is not None and "Ground rules" in card_text(fake, {"ts": card.ts})
    assert repost_unposted_cards(bot.bundle.app.client, bot.bundle.deps) == 0


def test_a_restart_in_the_middle_of_ground_rules_loses_nothing(meeting_card, bot, fake, db):
    driver = bot.driver()
    rules_card = next_stage(driver, fake, "Ground rules")
    for user, rule in [("UMGR1", "No blame"), ("UNHS", "Phones away")]:
        reply(driver, fake, user, rules_card, rule)

    bot.restart()
    driver = bot.driver()

    reply(driver, fake, "UCQC", rules_card, "Finish on time")
    fake.wait_until(lambda: "3 proposals from 3 people" in card_text(fake, rules_card))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    posted(fake, "Partnership agreement", after=mark)
    assert db.one(GroundRulesVersion).rules == ["No blame", "Phones away", "Finish on time"]


def test_an_edited_reply_updates_the_record_and_a_deleted_one_is_withdrawn(meeting_card, driver, fake, db):
    rules_card = next_stage(driver, fake, "Ground rules")
    first = reply(driver, fake, "UMGR1", rules_card, "No blam")
    second = reply(driver, fake, "UNHS", rules_card, "Phones away")
    driver.edit_message("UMGR1", CHANNEL, first, "No blame, ever")
    fake.wait_until(lambda: db.one(Contribution, message_ts=first).text == "No blame, ever")

    driver.delete_message("UNHS", CHANNEL, second)
    fake.wait_until(lambda: "1 proposal from 1 person" in card_text(fake, rules_card))
    withdrawn = db.one(Contribution, message_ts=second)
    assert withdrawn.withdrawn and withdrawn.text == "Phones away"  # kept, never silently lost
