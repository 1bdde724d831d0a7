"""The Slack stand-in itself: FakeSlack answered by a real slack_sdk WebClient, and SlackDriver's signed
payloads checked by a tiny receiver that verifies signatures with slack_sdk's SignatureVerifier."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.standin import FakeSlack, SlackDriver, render_transcript

CHANNEL = "C1"
BUTTONS: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Partnership agreement"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": "Signed: <@U2>"}},
    {
        "type": "actions",
        "block_id": "agreement",
        "elements": [
            {
                "type": "button",
                "action_id": "agreement.sign",
                "value": "v1",
                "text": {"type": "plain_text", "text": "Sign the agreement"},
            },
            {
                "type": "static_select",
                "action_id": "agreement.pick",
                "placeholder": {"type": "plain_text", "text": "Version"},
                "options": [{"text": {"type": "plain_text", "text": "Version 1"}, "value": "v1"}],
            },
        ],
    },
]


@dataclass
class Received:
    headers: dict[str, str]
    body: str
    verified: bool
    form: dict[str, str] = field(default_factory=dict)
    json: Any = None

    @property
    def payload(self) -> Any:
        return json.loads(self.form["payload"]) if "payload" in self.form else self.json


class Receiver:
    """A stand-in for the bot: checks signatures like bolt does, records, answers with `reply`."""

    def __init__(self, secret: str) -> None:
        self.verifier = SignatureVerifier(secret)
        self.requests: list[Received] = []
        self.reply: tuple[int, str] = (200, "")
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                headers = dict(self.headers.items())
                try:
                    verified = receiver.verifier.is_valid_request(body, headers)
                except ValueError:  # a malformed timestamp: slack_sdk raises instead of saying no
                    verified = False
                got = Received(headers, body, verified)
                if "json" in headers.get("Content-Type", ""):
                    got.json = json.loads(body)
                else:
                    got.form = dict(parse_qsl(body, keep_blank_values=True))
                receiver.requests.append(got)
                status, text = receiver.reply if verified else (401, "")
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    @property
    def last(self) -> Received:
        return self.requests[-1]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user("U1", "alice", "Alice")
        slack.add_user("U2", "bob", "Bob", tz="America/New_York")
        slack.add_channel(CHANNEL, "strategy-group", ["U1", "U2", "UBOT"])
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url)


@pytest.fixture
def receiver(fake: FakeSlack) -> Iterator[Receiver]:
    bot = Receiver(fake.signing_secret)
    yield bot
    bot.server.shutdown()
    bot.server.server_close()


@pytest.fixture
def driver(fake: FakeSlack, receiver: Receiver) -> SlackDriver:
    return SlackDriver(receiver.url, fake)


def api_error(call: Any) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return str(caught.value.response["error"])


# FakeSlack through a real WebClient ------------------------------------------------------------


def test_post_then_update_shows_the_new_version(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=CHANNEL, text="Agenda", blocks=BUTTONS)
    second = client.chat_postMessage(channel=CHANNEL, text="Second", thread_ts=first["ts"])
    assert re.fullmatch(r"\d{10}\.\d{6}", first["ts"]) and float(second["ts"]) > float(first["ts"])
    assert first["channel"] == CHANNEL and first["message"]["blocks"][2]["block_id"] == "agreement"
    client.chat_update(channel=CHANNEL, ts=first["ts"], text="Agenda v2", blocks=BUTTONS[:1])
    assert fake.message(CHANNEL, first["ts"])["text"] == "Agenda v2"  # type: ignore[index]
    assert [m["text"] for m in fake.messages(CHANNEL)] == ["Agenda v2", "Second"]
    assert [m["text"] for m in fake.thread(CHANNEL, first["ts"])] == ["Agenda v2", "Second"]
    assert fake.messages(CHANNEL, include_replies=False)[0]["reply_count"] == 1
    assert (
        api_error(lambda: client.chat_update(channel=CHANNEL, ts="1.000001", text="x")) == "message_not_found"
    )
    assert fake.last("chat.postMessage", text="Agenda").args["blocks"] == BUTTONS  # type: ignore[union-attr]


def test_conversations_users_and_auth(fake: FakeSlack, client: WebClient) -> None:
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert dm == client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    client.chat_postMessage(channel=dm, text="Your weekly check-in")
    assert [m["text"] for m in fake.dms("U1")] == ["Your weekly check-in"]
    bob = client.users_info(user="U2")["user"]
    assert (bob["real_name"], bob["tz"], bob["tz_offset"] < 0) == ("Bob", "America/New_York", True)
    assert api_error(lambda: client.users_info(user="U404")) == "user_not_found"
    assert client.conversations_members(channel=CHANNEL)["members"] == ["U1", "U2", "UBOT"]
    assert api_error(lambda: client.conversations_members(channel="C404")) == "channel_not_found"
    assert client.auth_test()["user_id"] == "UBOT"
    bad = WebClient(token="xoxb-wrong", base_url=fake.api_url)
    assert api_error(bad.auth_test) == "invalid_auth"
    assert api_error(lambda: client.api_call("meetings.teleport")) == "unknown_method"
    assert [c.error for c in fake.calls[-2:]] == ["invalid_auth", "unknown_method"]


def test_history_returns_metadata_only_with_include_all_metadata(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "checkin_delivery", "event_payload": {"delivery": 7}}
    dm = client.conversations_open(users="U1")["channel"]["id"]
    sent = [client.chat_postMessage(channel="U1", text=f"Check-in {n}", metadata=metadata)["ts"] for n in range(3)]
    assert client.chat_postMessage(channel="U1", text="x")["channel"] == dm  # a user id posts to the DM
    plain = client.conversations_history(channel=dm)["messages"]
    assert [m["text"] for m in plain] == ["x", "Check-in 2", "Check-in 1", "Check-in 0"]  # newest first
    assert not any("metadata" in m for m in plain)
    full = client.conversations_history(channel=dm, include_all_metadata=True)["messages"]  # sent as "1"
    assert [m.get("metadata") for m in full] == [None, metadata, metadata, metadata]
    assert client.conversations_history(channel=dm, include_all_metadata="true")["messages"][1]["metadata"]
    assert "metadata" not in client.conversations_history(channel=dm, include_all_metadata=False)["messages"][1]
    replies = client.conversations_replies(channel=dm, ts=sent[0])["messages"]
    assert "metadata" not in replies[0]
    assert client.conversations_replies(channel=dm, ts=sent[0], include_all_metadata=True)["messages"][0]["metadata"]
    assert fake.dms("U1")[0]["metadata"] == metadata  # stored all along: only the reading hides it


def test_history_honours_oldest_latest_inclusive_and_limit(fake: FakeSlack, client: WebClient) -> None:
    ts = [client.chat_postMessage(channel=CHANNEL, text=str(n))["ts"] for n in range(5)]

    def texts(**args: Any) -> list[str]:
        return [m["text"] for m in client.conversations_history(channel=CHANNEL, **args)["messages"]]

    assert texts(oldest=ts[1], latest=ts[3]) == ["2"]
    assert texts(oldest=ts[1], latest=ts[3], inclusive=True) == ["3", "2", "1"]
    assert texts(oldest=ts[3]) == ["4"] and texts(latest=ts[1]) == ["0"]
    page = client.conversations_history(channel=CHANNEL, limit=2)
    assert [m["text"] for m in page["messages"]] == ["4", "3"] and page["has_more"]
    rest = client.conversations_history(channel=CHANNEL, limit=2, cursor=page["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == ["2", "1"]
    assert len(texts(limit=5000)) == 5  # Slack caps the limit (999) instead of refusing it
    assert api_error(lambda: client.conversations_history(channel=CHANNEL, oldest="soon")) == "invalid_ts_oldest"


def test_held_replies_take_effect_but_answer_only_when_released(fake: FakeSlack, client: WebClient) -> None:
    fake.hold_replies("chat.postMessage", after=1)
    client.chat_postMessage(channel=CHANNEL, text="answered at once")
    answers: list[str] = []
    post = lambda: answers.append(client.chat_postMessage(channel=CHANNEL, text="held")["ts"])  # noqa: E731
    waiting = threading.Thread(target=post)
    waiting.start()
    fake.wait_until(lambda: fake.held_replies() == 1)
    assert [m["text"] for m in fake.messages(CHANNEL)] == ["answered at once", "held"] and not answers
    fake.release_replies()
    waiting.join(timeout=5)
    assert answers == [fake.messages(CHANNEL)[1]["ts"]] and fake.held_replies() == 0


def test_ephemerals_reactions_and_block_limits(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="hi")["ts"]
    client.chat_postEphemeral(channel=CHANNEL, user="U1", text="Only the chair can do that")
    assert [e["text"] for e in fake.ephemerals("U1")] == ["Only the chair can do that"]
    assert api_error(lambda: client.chat_postEphemeral(channel=CHANNEL, user="UBOT2", text="x")) == (
        "user_not_found"
    )
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="white_check_mark")
    assert api_error(
        lambda: client.reactions_add(channel=CHANNEL, timestamp=ts, name="white_check_mark")
    ) == ("already_reacted")
    assert fake.reactions(CHANNEL, ts) == {"white_check_mark": ["UBOT"]}
    too_many = [{"type": "divider"}] * 51
    assert api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="x", blocks=too_many)) == (
        "invalid_blocks"
    )
    assert client.chat_getPermalink(channel=CHANNEL, message_ts=ts)["permalink"].endswith(ts.replace(".", ""))
    client.chat_delete(channel=CHANNEL, ts=ts)
    assert fake.message(CHANNEL, ts) is None


def test_views_need_a_fresh_driver_issued_trigger(fake: FakeSlack, client: WebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "checkin",
        "external_id": "checkin-U1",
        "title": {"type": "plain_text", "text": "Check in"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
    }
    assert api_error(lambda: client.views_open(trigger_id="made.up", view=modal)) == "invalid_trigger_id"
    trigger = fake.issue_trigger("U1")
    opened = client.views_open(trigger_id=trigger, view=modal)["view"]
    assert re.fullmatch(r"V\d{4}", opened["id"]) and opened["hash"] and opened["callback_id"] == "checkin"
    assert api_error(lambda: client.views_open(trigger_id=trigger, view=modal)) == "invalid_trigger_id"
    updated = {**modal, "title": {"type": "plain_text", "text": "Checked in"}}
    client.views_update(external_id="checkin-U1", view=updated)
    assert [v["title"]["text"] for v in fake.open_views("U1")] == ["Checked in"]
    stale = api_error(lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal))
    assert stale == "hash_conflict"
    client.views_publish(user_id="U2", view={"type": "home", "blocks": BUTTONS})
    assert fake.home_view("U2")["blocks"][0]["type"] == "header"  # type: ignore[index]


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    done = client.files_upload_v2(
        channel=CHANNEL, content="# Minutes\n", filename="minutes.md", title="Minutes", initial_comment="Done"
    )
    [stored] = fake.files()
    assert done["file"]["id"] == stored["id"] and stored["content"] == b"# Minutes\n"
    assert (stored["name"], stored["title"], stored["channel"], stored["initial_comment"]) == (
        "minutes.md",
        "Minutes",
        CHANNEL,
        "Done",
    )
    methods = [c.method for c in fake.calls]
    assert methods == ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]
    assert fake.messages(CHANNEL)[-1]["files"][0]["name"] == "minutes.md"


def test_rate_limit_then_success_with_the_retry_handler(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    retrying = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake.fail("chat.postMessage", status=429, retry_after=3)
    assert retrying.chat_postMessage(channel=CHANNEL, text="hi")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(slept) == 1 and 3 <= slept[0] < 4  # Retry-After plus up to a second of jitter
    assert len(fake.messages(CHANNEL)) == 1


def test_injected_failures(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("users.info", status=503)
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U1")
    assert caught.value.response.status_code == 503
    fake.fail("auth.test", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.auth_test()
    assert limited.value.response["error"] == "ratelimited"
    assert limited.value.response.headers["Retry-After"] == "7"
    fake.fail("chat.postMessage", status=200, error="not_in_channel")
    assert api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="x")) == "not_in_channel"
    fake.rate_limit_every(3, "conversations.info")
    statuses = []
    for _ in range(6):
        try:
            statuses.append(client.conversations_info(channel=CHANNEL).status_code)
        except SlackApiError as error:
            statuses.append(error.response.status_code)
    assert statuses == [200, 200, 429, 200, 200, 429]
    assert client.users_info(user="U1")["ok"]


def test_response_url_posts_are_recorded_and_applied(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="Card")["ts"]
    WebhookClient(fake.new_response_url(CHANNEL, "U1")).send(text="Just you", response_type="ephemeral")
    WebhookClient(fake.new_response_url(CHANNEL, "U1", ts)).send(text="Card v2", replace_original=True)
    call = fake.last("response_url", text="Just you")
    assert call is not None and call.args["response_type"] == "ephemeral"
    assert [e["text"] for e in fake.ephemerals("U1")] == ["Just you"]
    assert fake.message(CHANNEL, ts)["text"] == "Card v2"  # type: ignore[index]


def test_wait_for_polls_and_explains_a_timeout(fake: FakeSlack, client: WebClient) -> None:
    threading.Timer(0.05, lambda: client.chat_postMessage(channel=CHANNEL, text="later")).start()
    assert fake.wait_for("chat.postMessage", text="later", timeout=2).ok
    mark = fake.mark()
    with pytest.raises(AssertionError, match=r"(?s)no call matching chat.delete.*chat.postMessage"):
        fake.wait_for("chat.delete", timeout=0.05, after=mark)
    assert fake.wait_for(lambda c: c.method.startswith("chat."), text=lambda t: "lat" in t).ok


def test_concurrent_posts_get_unique_ordered_timestamps(fake: FakeSlack, client: WebClient) -> None:
    def post(n: int) -> None:
        for i in range(20):
            client.chat_postMessage(channel=CHANNEL, text=f"{n}-{i}")

    workers = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stamps = [m["ts"] for m in fake.messages(CHANNEL)]
    assert len(stamps) == len(set(stamps)) == 120 == len(fake.calls_to("chat.postMessage"))
    assert stamps == sorted(stamps, key=float)


# SlackDriver into a receiver that verifies signatures ----------------------------------------


def test_commands_are_signed_like_slack(fake: FakeSlack, driver: SlackDriver, receiver: Receiver) -> None:
    assert driver.command("U1", CHANNEL, "/meeting", "start").status == 200
    sent = receiver.last
    assert sent.verified and sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert {k: sent.form[k] for k in ("command", "text", "user_id", "channel_name")} == {
        "command": "/meeting",
        "text": "start",
        "user_id": "U1",
        "channel_name": "strategy-group",
    }
    assert sent.form["response_url"].startswith(fake.url) and sent.form["trigger_id"]
    assert driver.command("U1", CHANNEL, "/meeting", signature="v0=forged").status == 401
    assert driver.command("U1", CHANNEL, "/meeting", timestamp="not-a-number").status == 401
    stale = SlackDriver(receiver.url, fake, clock=lambda: time.time() - 600)
    assert stale.command("U1", CHANNEL, "/meeting").status == 401


def test_click_button_presses_what_was_drawn(
    fake: FakeSlack, client: WebClient, driver: SlackDriver, receiver: Receiver
) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="Agreement", blocks=BUTTONS)["ts"]
    driver.click_button("U2", CHANNEL, ts, "sign the agreement")
    payload = receiver.last.payload
    action = payload["actions"][0]
    assert (action["type"], action["action_id"], action["block_id"], action["value"]) == (
        "button",
        "agreement.sign",
        "agreement",
        "v1",
    )
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": CHANNEL,
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == ts and payload["user"]["id"] == "U2"
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Sign"}, "blocks": []}
    assert client.views_open(trigger_id=payload["trigger_id"], view=modal)["ok"]
    driver.click("U2", "agreement.pick", channel=CHANNEL, message_ts=ts, selected_option="Version 1")
    chosen = receiver.last.payload["actions"][0]
    assert chosen["type"] == "static_select" and chosen["selected_option"]["value"] == "v1"
    with pytest.raises(AssertionError, match="buttons drawn"):
        driver.click_button("U2", CHANNEL, ts, "Nope")


def _input(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
    label = {"type": "plain_text", "text": block_id.title()}
    return {"type": "input", "block_id": block_id, "label": label, "element": element}


def _options(*values: str) -> list[dict[str, Any]]:
    return [{"text": {"type": "plain_text", "text": v.title()}, "value": v} for v in values]


def test_submit_view_builds_slack_state_for_each_element(
    fake: FakeSlack, client: WebClient, driver: SlackDriver, receiver: Receiver
) -> None:
    blocks = [
        _input("name", {"type": "plain_text_input", "action_id": "name", "initial_value": "Alice"}),
        _input("note", {"type": "plain_text_input", "action_id": "note"}),
        _input("mood", {"type": "static_select", "action_id": "mood", "options": _options("good", "low")}),
        _input(
            "themes", {"type": "multi_static_select", "action_id": "themes", "options": _options("a", "b")}
        ),
        _input("owner", {"type": "users_select", "action_id": "owner"}),
        _input("people", {"type": "multi_users_select", "action_id": "people"}),
        _input("due", {"type": "datepicker", "action_id": "due"}),
        _input("at", {"type": "timepicker", "action_id": "at"}),
        _input("ticks", {"type": "checkboxes", "action_id": "ticks", "options": _options("x", "y")}),
        _input("radio", {"type": "radio_buttons", "action_id": "radio", "options": _options("r1", "r2")}),
        _input("conv", {"type": "conversations_select", "action_id": "conv"}),
        _input("chan", {"type": "channels_select", "action_id": "chan"}),
    ]
    modal: dict[str, Any] = {"type": "modal", "callback_id": "everything", "private_metadata": "m42"}
    modal["blocks"] = blocks
    modal |= {
        "title": {"type": "plain_text", "text": "Everything"},
        "submit": {"type": "plain_text", "text": "Go"},
    }
    view = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal)["view"]
    values = {
        "mood": "Low",
        "themes": ["a", "B"],
        "owner": "U2",
        "people": ["U1", "U2"],
        "due": "2026-12-01",
        "at": "14:30",
        "ticks": [],
        "radio": "r2",
        "conv": CHANNEL,
        "chan": CHANNEL,
    }
    receiver.reply = (200, json.dumps({"response_action": "errors", "errors": {"note": "Say something"}}))
    answer = driver.submit_view("U1", view, values)
    assert answer.json == {"response_action": "errors", "errors": {"note": "Say something"}}
    assert len(fake.open_views("U1")) == 1  # errors keep the modal open
    sent = receiver.last.payload
    state = sent["view"]["state"]["values"]
    assert (sent["type"], sent["view"]["callback_id"], sent["view"]["private_metadata"]) == (
        "view_submission",
        "everything",
        "m42",
    )
    assert state["name"]["name"] == {"type": "plain_text_input", "value": "Alice"}
    assert state["note"]["note"] == {"type": "plain_text_input", "value": None}
    assert state["mood"]["mood"]["selected_option"]["value"] == "low"
    assert [o["value"] for o in state["themes"]["themes"]["selected_options"]] == ["a", "b"]
    assert state["owner"]["owner"]["selected_user"] == "U2"
    assert state["people"]["people"]["selected_users"] == ["U1", "U2"]
    assert state["due"]["due"]["selected_date"] == "2026-12-01"
    assert state["at"]["at"]["selected_time"] == "14:30"
    assert state["ticks"]["ticks"] == {"type": "checkboxes", "selected_options": []}
    assert state["radio"]["radio"]["selected_option"]["value"] == "r2"
    assert state["conv"]["conv"]["selected_conversation"] == CHANNEL
    assert state["chan"]["chan"]["selected_channel"] == CHANNEL
    receiver.reply = (200, "")
    driver.submit_view("U1", view, {"note": "Fine"})
    assert fake.open_views("U1") == [] and fake.last_view("U1")["id"] == view["id"]  # type: ignore[index]
    with pytest.raises(AssertionError, match="inputs"):
        driver.submit_view("U1", view, {"nonsense": 1})


def test_events_carry_envelopes_and_retry_headers(
    fake: FakeSlack, client: WebClient, driver: SlackDriver, receiver: Receiver
) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="Stage card")["ts"]
    response, ts = driver.post_message("U1", CHANNEL, "We value honesty", thread_ts=parent)
    envelope = receiver.last.json
    assert response.status == 200 and receiver.last.verified
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    event = envelope["event"]
    assert (event["type"], event["ts"], event["thread_ts"], event["channel_type"]) == (
        "message",
        ts,
        parent,
        "channel",
    )
    assert [m["text"] for m in fake.thread(CHANNEL, parent)] == ["Stage card", "We value honesty"]
    assert "X-Slack-Retry-Num" not in receiver.last.headers
    driver.resend(retry_num=1, retry_reason="http_timeout")
    assert receiver.last.json["event_id"] == envelope["event_id"]
    assert receiver.last.headers["X-Slack-Retry-Num"] == "1"
    assert receiver.last.headers["X-Slack-Retry-Reason"] == "http_timeout"
    driver.edit_message("U1", CHANNEL, ts, "We value candour")
    changed = receiver.last.json["event"]
    assert (changed["subtype"], changed["message"]["text"], changed["previous_message"]["text"]) == (
        "message_changed",
        "We value candour",
        "We value honesty",
    )
    driver.delete_message("U1", CHANNEL, ts)
    assert receiver.last.json["event"]["deleted_ts"] == ts and fake.message(CHANNEL, ts) is None
    assert driver.url_verification("abc").status == 200 and receiver.last.json["challenge"] == "abc"


def test_transcript_reads_like_a_conversation(
    fake: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    fake.note("The meeting")
    driver.command("U1", CHANNEL, "/meeting", "start")
    ts = client.chat_postMessage(channel=CHANNEL, text="Agreement", blocks=BUTTONS)["ts"]
    driver.click_button("U1", CHANNEL, ts, "agreement.sign")
    client.chat_update(channel=CHANNEL, ts=ts, text="Agreement", blocks=BUTTONS[:1] + BUTTONS[2:])
    client.chat_postEphemeral(channel=CHANNEL, user="U1", text="Thanks for signing")
    _, reply = driver.post_message("U2", CHANNEL, "Respect " * 30, thread_ts=ts)
    client.reactions_add(channel=CHANNEL, timestamp=reply, name="white_check_mark")
    modal: dict[str, Any] = {"type": "modal", "title": {"type": "plain_text", "text": "Check in"}}
    modal |= {"submit": {"type": "plain_text", "text": "Save"}, "blocks": [_input("feeling", {"type": "x"})]}
    client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal)
    client.files_upload_v2(channel=CHANNEL, content="x", filename="minutes.md")
    client.chat_postMessage(channel="U2", text="Please sign", blocks=[{"type": "mystery"}])
    text = render_transcript(fake)
    for expected in (
        "=== The meeting ===",
        "── #strategy-group",
        "Alice: /meeting start",
        "PARTNERSHIP AGREEMENT",
        "Signed: @Bob",
        "[ Sign the agreement ]",
        "Alice clicked [ Sign the agreement ]",
        "Bot (card updated): PARTNERSHIP AGREEMENT — removed 'Signed: @Bob'",
        "(only Alice sees) Bot: Thanks for signing",
        "↳ Bob (in thread): Respect",
        "✓ Bot reacted :white_check_mark: to Bob's message",
        "[modal 'Check in' opened for Alice]",
        "fields: Feeling",
        "[file uploaded: minutes.md]",
        "── DM to Bob",
        "[mystery]",
    ):
        assert expected in text, f"{expected!r} missing from:\n{text}"
    assert max(len(line) for line in text.splitlines()) <= 100


def test_transcript_never_crashes_on_the_unexpected(fake: FakeSlack) -> None:
    fake.ws.timeline.add("bot", "message", "UBOT", CHANNEL, "fallback text", message={"blocks": "garbage"})
    fake.ws.timeline.add("bot", "update", "UBOT", CHANNEL, "no previous", message={})
    fake.ws.timeline.add("bot", "something_new", "UBOT", "C404", "what it said")
    fake.record_user_action("U1", "teleported", "to the moon", CHANNEL)
    text = render_transcript(fake)
    assert "Bot: fallback text" in text and "what it said" in text and "Alice: to the moon" in text


def test_a_bolt_app_works_against_the_stand_in(fake: FakeSlack) -> None:
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    app = App(
        client=WebClient(token=fake.bot_token, base_url=fake.api_url), signing_secret=fake.signing_secret
    )
    card = [
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "here", "text": {"type": "plain_text", "text": "I'm here"}}
            ],
        }
    ]
    modal = {
        "type": "modal",
        "callback_id": "checkin",
        "title": {"type": "plain_text", "text": "Check in"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [_input("feel", {"type": "plain_text_input", "action_id": "v"})],
    }

    @app.command("/meeting")
    def start(ack: Any, say: Any, respond: Any) -> None:
        ack()
        say(text="Welcome", blocks=card)
        respond("Started")

    @app.action("here")
    def here(ack: Any, body: Any, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal)

    @app.view("checkin")
    def checkin(ack: Any, view: Any, body: Any, client: WebClient) -> None:
        if not view["state"]["values"]["feel"]["v"]["value"]:
            ack(response_action="errors", errors={"feel": "Say something"})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text="Thanks")

    @app.event("message")
    def reply(event: Any, client: WebClient) -> None:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="white_check_mark")

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        driver = SlackDriver(f"http://127.0.0.1:{server.server_port}/slack/events", fake)
        assert driver.command("U1", CHANNEL, "/meeting", "start").status == 200
        posted = fake.wait_for("chat.postMessage", channel=CHANNEL)
        fake.wait_until(lambda: fake.ephemerals("U1"), message="for respond() to reach the response_url")
        driver.click_button("U1", CHANNEL, posted.response["ts"], "I'm here")  # type: ignore[index]
        fake.wait_for("views.open")
        view = fake.last_view("U1")
        assert view is not None
        assert driver.submit_view("U1", view, {}).json == {
            "response_action": "errors",
            "errors": {"feel": "Say something"},
        }
        assert driver.submit_view("U1", view, {"v": "Great"}).status == 200 and fake.open_views("U1") == []
        fake.wait_for("chat.postMessage", channel="U1")
        _, ts = driver.post_message("U2", CHANNEL, "Hello", thread_ts=posted.response["ts"])  # type: ignore[index]
        fake.wait_for("reactions.add", timestamp=ts)
        assert [m["text"] for m in fake.dms("U1")] == ["Thanks"]
        assert "refused for Alice: Feel: Say something" in render_transcript(fake)
    finally:
        server.shutdown()
        server.server_close()


def test_ephemeral_buttons_and_replacing_them(
    fake: FakeSlack, client: WebClient, driver: SlackDriver, receiver: Receiver
) -> None:
    client.chat_postEphemeral(channel=CHANNEL, user="U1", text="Sure?", blocks=BUTTONS[2:])
    driver.click_ephemeral_button("U1", "Sign the agreement")
    payload = receiver.last.payload
    assert payload["container"]["is_ephemeral"] is True and "message" not in payload
    WebhookClient(payload["response_url"]).send(text="Signed", replace_original=True)
    assert [e["text"] for e in fake.ephemerals("U1")] == ["Signed"]
    WebhookClient(payload["response_url"]).send(text="Public", response_type="in_channel")
    assert fake.messages(CHANNEL)[-1]["text"] == "Public"


def test_the_view_stack_follows_push_update_and_close(
    fake: FakeSlack, client: WebClient, driver: SlackDriver, receiver: Receiver
) -> None:
    def modal(title: str) -> dict[str, Any]:
        plain = {"type": "plain_text", "text": title}
        return {"type": "modal", "notify_on_close": True, "title": plain, "blocks": []}

    first = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal("One"))["view"]
    client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Two"))
    receiver.reply = (200, json.dumps({"response_action": "update", "view": modal("Two, edited")}))
    driver.submit_view("U1", fake.open_views("U1")[-1])
    assert [v["title"]["text"] for v in fake.open_views("U1")] == ["One", "Two, edited"]
    receiver.reply = (200, json.dumps({"response_action": "clear"}))
    driver.submit_view("U1", fake.open_views("U1")[-1])
    assert fake.open_views("U1") == []
    assert driver.close_view("U1", first).status == 200 and receiver.last.payload["type"] == "view_closed"
