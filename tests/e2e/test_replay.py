"""Requests a process acknowledged and then died before handling are handled by the next one, once.

The crash itself is tested with kill -9 in test_crash_durability.py; here the stranded requests are put in
the inbox the way a dead process leaves them, so each kind can be checked closely: a thread reply, a
one-line `/actions add` (answered through its response_url), and one that cannot be done any more.
"""

from __future__ import annotations

import json

from bot.app import recover_stale_requests
from bot.services import inbox
from handlers.inbox import request_key
from storage.models import Action, Contribution, InboxItem
from tests.harness import CHANNEL
from tests.standin import events
from tests.steps import give_roles, set_up_group, start_meeting


def strand(bot, body: dict) -> int:
    """Store a request as the front of a process that died right after acknowledging it would have."""
    found = request_key(body)
    assert found is not None
    key, kind = found
    inbox_id = inbox.receive(bot.bundle.deps.uow(), bot.clock, key=key, kind=kind, content_type="application/json",
                             body=json.dumps(body).encode())
    assert inbox_id is not None
    return inbox_id


def reply_envelope(fake, user: str, text: str, thread_ts: str) -> tuple[dict, str]:
    stored = fake.store_user_message(user, CHANNEL, text, thread_ts)
    event = events.message_posted(stored, CHANNEL, "channel")
    ws = fake.ws
    return events.envelope(event, ws.team_id, ws.app_id, ws.bot_user_id, None), stored["ts"]


def command_body(fake, user: str, command: str, text: str) -> dict:
    ws = fake.ws
    return {"team_id": ws.team_id, "channel_id": CHANNEL, "user_id": user, "user_name": "sam", "command": command,
            "text": text, "api_app_id": ws.app_id, "response_url": fake.new_response_url(CHANNEL, user),
            "trigger_id": fake.issue_trigger(user)}


def test_stranded_requests_are_handled_after_a_restart_and_only_once(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    envelope, ts = reply_envelope(fake, "UMGR1", "Alex here, a little tired", card["ts"])
    strand(bot, envelope)
    strand(bot, command_body(fake, "UCHAIR", "/actions", "add Invite the falls team owner <@UNHS>"))
    mark = fake.mark()

    assert recover_stale_requests(bot.bundle) == 0  # too recent: a live process may still be on them
    clock.advance(minutes=3)
    assert recover_stale_requests(bot.bundle) == 2

    fake.wait_for("reactions.add", after=mark, timestamp=ts)
    fake.wait_until(lambda: db.count(Action, description="Invite the falls team") == 1)
    fake.wait_until(lambda: db.count(InboxItem, handled_at=None) == 0)
    assert db.one(Contribution, message_ts=ts).text == "Alex here, a little tired"
    fake.wait_for("response_url", after=mark)  # the chair hears about the action as usual
    assert recover_stale_requests(bot.bundle) == 0
    assert db.count(Contribution, message_ts=ts) == 1 and db.count(Action, description="Invite the falls team") == 1


def test_slacks_retry_of_a_stranded_event_is_not_handled_twice(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    envelope, ts = reply_envelope(fake, "UNHS", "Fatima, NHS, glad to be here", card["ts"])
    strand(bot, envelope)
    # Slack got no answer in time from the dying process and re-sends: acknowledged, not handled again.
    body = json.dumps(envelope)
    assert driver.send(body, "application/json", headers={"X-Slack-Retry-Num": "1"}).status == 200
    assert db.count(Contribution, message_ts=ts) == 0
    clock.advance(minutes=3)
    assert recover_stale_requests(bot.bundle) == 1
    fake.wait_until(lambda: db.count(Contribution, message_ts=ts) == 1)
    fake.wait_until(lambda: db.count(InboxItem, handled_at=None) == 0)
    assert db.count(Contribution, message_ts=ts) == 1


def test_a_stranded_request_for_a_form_that_can_no_longer_open_is_let_go_quietly(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    strand(bot, command_body(fake, "UCHAIR", "/actions", "add"))  # opens the form: its trigger is long gone
    fake.ws.trigger_ttl = 0.0  # Slack's triggers live 3 seconds; this one was issued before the crash
    clock.advance(minutes=3)
    mark = fake.mark()
    assert recover_stale_requests(bot.bundle) == 1
    fake.wait_until(lambda: db.count(InboxItem, handled_at=None) == 0)
    opened = fake.wait_for("views.open", after=mark)
    assert opened.response is not None and opened.response.get("error") == "expired_trigger_id"
    assert not [c for c in fake.calls[mark:] if c.method in ("response_url", "chat.postEphemeral")]


def test_a_request_the_database_cannot_store_is_not_acknowledged_as_received(bot, driver, fake, db, engine):
    set_up_group(driver, fake)
    card = start_meeting(driver, fake)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE inbox RENAME TO inbox_away")  # as if the database stopped taking writes
    try:
        answer, ts = driver.post_message("UMGR1", CHANNEL, "Alex here", thread_ts=card["ts"])
        assert answer.status == 429  # not a 2xx, so Slack sends the event again later; never a 5xx
        answer = driver.command("UCHAIR", CHANNEL, "/actions", "add Book the hall owner <@UNHS>")
        assert answer.status == 200 and "couldn't save that" in (answer.json or {}).get("text", "")
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE inbox_away RENAME TO inbox")
    assert db.count(Contribution) == 0 and db.count(Action) == 0
    assert driver.resend(retry_num=1).status == 200  # Slack's retry, once the database is back, is handled
    fake.wait_until(lambda: db.count(Contribution, message_ts=ts) == 1)
