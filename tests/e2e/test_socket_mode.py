"""Socket Mode, the path a council behind a firewall takes: `python -m bot` with SLACK_APP_TOKEN opens a
WebSocket to the stand-in (apps.connections.open) and a first meeting is played entirely over it.

Every request travels as an envelope and is acknowledged over the socket; the inbox rule holds here
too: the moment each ack arrives, the request's inbox row is already in the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from handlers.inbox import request_key
from storage.db import make_session_factory
from storage.models import Attendance, AuditEntry, Contribution, Group, InboxItem, Meeting, Minutes
from tests.harness import CHANNEL, make_fake
from tests.standin.socket_mode import SocketModeDriver, SocketModeEndpoint
from tests.steps import card_text, ephemeral_to, next_stage, posted, reply, set_up_group, start_meeting

ROOT = Path(__file__).resolve().parents[2]
APP_TOKEN = "xapp-1-A0APP-1-standin"


@pytest.fixture
def socket_bot(engine: Any) -> Iterator[tuple[Any, SocketModeEndpoint, SocketModeDriver]]:
    fake = make_fake()
    endpoint = fake.start_socket_mode(APP_TOKEN)
    env = {**os.environ, "SLACK_BOT_TOKEN": fake.bot_token, "SLACK_APP_TOKEN": APP_TOKEN,
           "SLACK_API_URL": fake.api_url, "DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "LOG_LEVEL": "WARNING"}
    env.pop("SLACK_SIGNING_SECRET", None)  # Socket Mode is never signed: the app must not need it
    log_path = Path(tempfile.mkdtemp(prefix="socket-bot-")) / "output.log"
    with log_path.open("wb") as log:  # a file, not a pipe nobody reads
        process = subprocess.Popen([sys.executable, "-m", "bot", "--no-scheduler"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            endpoint.wait_connected(timeout=30)
        except AssertionError:
            pytest.fail(f"python -m bot never connected: {log_path.read_text()}")
        yield fake, endpoint, SocketModeDriver(fake, endpoint)
    finally:
        process.terminate()
        process.wait(timeout=15)
        fake.stop()


def test_a_first_meeting_runs_over_socket_mode(socket_bot, db, engine):
    fake, endpoint, driver = socket_bot
    # The app asked for its URL with the app-level token, connected once, and was greeted.
    opened = fake.calls_to("apps.connections.open")
    assert len(opened) == 1 and opened[0].ok and opened[0].response["url"].startswith("ws://")
    assert endpoint.connections_opened == 1

    session = make_session_factory(engine)

    def inbox_row_at_ack(envelope: dict[str, Any], _ack: dict[str, Any]) -> bool:
        found = request_key(envelope["payload"])
        assert found is not None
        with session() as s:
            return s.scalar(select(InboxItem.id).where(InboxItem.key == found[0])) is not None

    driver.on_ack = inbox_row_at_ack

    set_up_group(driver, fake)
    assert db.one(Group).name == "Southwark Care Home Strategy Group"
    card = start_meeting(driver, fake)
    for user, words in [("UCHAIR", "Sam, chair. Glad to be here"), ("UMGR1", "Alex, Tower Bridge. Keen")]:
        reply(driver, fake, user, card, words)  # events_api envelopes; the bot's ✅ comes back
    mark = fake.mark()
    driver.click_button("UNHS", CHANNEL, card["ts"], "I'm here")  # interactive: block_actions
    fake.wait_for("views.open", after=mark)
    answer = driver.submit_view("UNHS", fake.last_view("UNHS"), {"feeling": "Hopeful"})  # view_submission
    assert answer.status == 200
    fake.wait_until(lambda: "3 here" in card_text(fake, card), message="check-in card shows 3 here")
    assert sorted(a.user_id for a in db.all(Attendance)) == ["UCHAIR", "UMGR1", "UNHS"]

    rules_card = next_stage(driver, fake, "Ground rules")  # /meeting next, a slash_commands envelope
    reply(driver, fake, "UMGR1", rules_card, "No blame, ever")
    assert db.one(Meeting).stage == "ground_rules"

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "end")
    posted(fake, "Meeting 1 has ended", after=mark)
    posted(fake, "Minutes · Meeting 1", after=mark)
    fake.wait_until(lambda: db.count(Minutes) == 1, message="minutes stored")
    assert "Attended (3):** Sam Okafor, Alex Morgan, Fatima Idris" in db.one(Minutes).markdown
    assert db.one(Meeting).status == "ended"

    # Each kind of envelope went over the socket and each ack found its inbox row already written.
    kinds = {d.envelope["type"] for d in endpoint.deliveries}
    assert kinds == {"slash_commands", "interactive", "events_api"}
    assert all(d.ack is not None for d in endpoint.deliveries)
    assert [d.envelope["envelope_id"] for d in endpoint.deliveries if d.seen_at_ack is not True] == []
    assert all(not d.envelope["accepts_response_payload"] for d in endpoint.deliveries
               if d.envelope["type"] == "events_api")
    said = {(c.stage, c.user_id): c.text for c in db.all(Contribution)}
    assert said[("check_in", "UMGR1")] == "Alex, Tower Bridge. Keen"
    assert said[("ground_rules", "UMGR1")] == "No blame, ever"
    actions = {(a.actor, a.action) for a in db.all(AuditEntry) if a.outcome == "ok"}
    assert {("UCHAIR", "group.create"), ("UCHAIR", "meeting.start"), ("UCHAIR", "meeting.end")} <= actions
    # Help answers privately over the socket as over HTTP; a wrong app token opens no connection.
    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/meeting", "help")
    assert "/meeting start" in ephemeral_to(fake, "UMGR2", mark)
    with pytest.raises(SlackApiError) as refused:
        WebClient(base_url=fake.api_url).apps_connections_open(app_token="xapp-wrong")
    assert refused.value.response["error"] == "invalid_auth"
