"""FakeSlack: a local stand-in of Slack's Web API over HTTP that keeps workspace state, records every
call, injects failures and keeps the timeline that transcripts are made of."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.standin import api_messages, api_views
from tests.standin.api_oauth import OAuthApp
from tests.standin.calls import Call, CallLog, CallMatcher, Entry
from tests.standin.faults import Faults
from tests.standin.server import Router, StandinServer
from tests.standin.state import Json, Workspace

if TYPE_CHECKING:
    from tests.standin.socket_mode import SocketModeEndpoint


class FakeSlack:
    """Serve with `start()` (or `with FakeSlack() as fake:`); point the bot's WebClient at `api_url`."""

    def __init__(
        self,
        signing_secret: str = "test-secret",
        bot_token: str = "xoxb-test",
        team_id: str = "T1",
        bot_user_id: str = "UBOT",
        *,
        bot_name: str = "Bot",
        trigger_ttl: float | None = None,
    ) -> None:
        self.signing_secret, self.bot_token = signing_secret, bot_token
        self.ws = Workspace(team_id, bot_user_id, bot_name)
        self.ws.trigger_ttl = trigger_ttl
        self._calls, self._faults = CallLog(), Faults()
        self._server: StandinServer | None = None
        self._thread: threading.Thread | None = None
        self.socket_mode: SocketModeEndpoint | None = None

    # Lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = StandinServer(Router(self.ws, self._calls, self._faults, self.bot_token))
            self.ws.base_url = self.url
            # a short poll interval keeps stop() (and so every test's teardown) fast
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.02,), name="fake-slack", daemon=True
            )
            self._thread.start()
        return self

    def start_socket_mode(self, app_token: str = "xapp-1-test") -> SocketModeEndpoint:
        """Serve Socket Mode too: `apps.connections.open` with this app-level token hands out its URL."""
        from tests.standin.socket_mode import SocketModeEndpoint

        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        self.socket_mode = SocketModeEndpoint(self.ws.app_id).start()
        self._server.router.app_token, self._server.router.socket_mode = app_token, self.socket_mode
        return self.socket_mode

    def stop(self) -> None:
        if self.socket_mode is not None:
            self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    @property
    def team_id(self) -> str:
        return self.ws.team_id

    @property
    def bot_user_id(self) -> str:
        return self.ws.bot_user_id

    # OAuth (multi-workspace install) -----------------------------------------------------------
    def enable_oauth(self, client_id: str, client_secret: str, scopes: tuple[str, ...], *,
                     rotation: bool = False, expires_in: int = 43200) -> OAuthApp:
        """Slack's records of a distributed app: oauth.v2.access then answers (tests/standin/api_oauth.py)."""
        with self.ws.lock:
            self.ws.oauth = OAuthApp(client_id, client_secret, scopes, rotation=rotation, expires_in=expires_in)
            return self.ws.oauth

    def approve_install(self, user_id: str) -> str:
        """The person clicked "Allow" on Slack's consent page: the code Slack puts in the redirect."""
        with self.ws.lock:
            return str(self.ws.oauth.new_code(user_id))

    # Directory ---------------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        real_name: str | None = None,
        tz: str = "Europe/London",
        is_bot: bool = False,
    ) -> Json:
        return self.ws.snapshot(self.ws.add_user(user_id, name, real_name, tz, is_bot))

    def add_channel(
        self, channel_id: str, name: str, members: list[str], *, is_private: bool = False
    ) -> Json:
        return self.ws.snapshot(self.ws.add_channel(channel_id, name, members, is_private))

    def add_member(self, channel_id: str, user_id: str) -> None:
        with self.ws.lock:
            members = self.ws.channel(channel_id)["members"]
            if user_id not in members:
                members.append(user_id)

    def user(self, user_id: str) -> Json | None:
        with self.ws.lock:
            return self.ws.snapshot(self.ws.users.get(user_id))

    def channel(self, channel_id: str) -> Json | None:
        with self.ws.lock:
            return self.ws.snapshot(self.ws.channels.get(channel_id))

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel id with this user ("D" + user id), opened if needed."""
        return str(self.ws.dm(user_id)["id"])

    def label(self, channel_id: str | None) -> str:
        with self.ws.lock:
            return self.ws.label(channel_id)

    def display_name(self, user_id: str | None) -> str:
        with self.ws.lock:
            return self.ws.display_name(user_id)

    # What the driver needs from Slack's side --------------------------------------------------
    def issue_trigger(self, user_id: str) -> str:
        return self.ws.issue_trigger(user_id)

    def new_response_url(self, channel: str | None, user: str, message_ts: str | None = None) -> str:
        """A response_url for an interaction; with message_ts, replace/delete_original act on that message."""
        return self.ws.new_response_url(channel, user, message_ts)

    def store_user_message(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> Json:
        with self.ws.lock:
            channel_id = self.ws.channel(channel)["id"]
            message: Json = {"user": user, "text": text, "client_msg_id": f"cm-{self.ws.next_id()}"}
            if thread_ts:
                message.update(
                    thread_ts=thread_ts, parent_user_id=self.ws.message(channel_id, thread_ts).get("user")
                )
            return self.ws.snapshot(self.ws.add_message(channel_id, message))

    def edit_user_message(self, channel: str, ts: str, text: str) -> tuple[Json, Json]:
        with self.ws.lock:
            message = self.ws.message(self.ws.channel(channel)["id"], ts)
            previous = self.ws.snapshot(message)
            message.update(text=text, edited={"user": message.get("user"), "ts": self.ws.next_ts()})
            return previous, self.ws.snapshot(message)

    def delete_user_message(self, channel: str, ts: str) -> Json:
        with self.ws.lock:
            channel_id = self.ws.channel(channel)["id"]
            return self.ws.messages[channel_id].pop(self.ws.message(channel_id, ts)["ts"])

    def react_as_user(self, user: str, channel: str, ts: str, name: str, add: bool = True) -> Json:
        with self.ws.lock:
            return self.ws.snapshot(api_messages.react(self.ws, channel, ts, name, user, add))

    def apply_view_answer(self, user: str, view_id: str, answer: Any, closed: bool = False) -> None:
        """What Slack does after a view_submission (per response_action) or when the user closes a view."""
        with self.ws.lock:
            if closed:
                api_views.close_view(self.ws, user, view_id)
            else:
                api_views.answer_submission(self.ws, user, view_id, answer)

    # Recorded calls ---------------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        return self._calls.snapshot()

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        """Calls to `method` whose args equal each given value (a callable value is a predicate)."""
        return self._calls.select(method, match)

    def last(self, method: str, **match: Any) -> Call | None:
        found = self._calls.select(method, match)
        return found[-1] if found else None

    def clear_calls(self) -> None:
        self._calls.clear()

    def mark(self) -> int:
        """A position in the call log: pass it as `after=` to wait only for calls made from now on."""
        return len(self._calls)

    def wait_for(self, what: CallMatcher, timeout: float = 5.0, *, after: int = 0, **match: Any) -> Call:
        """Poll until a call matches (a method name plus args, or a predicate on Call); return the latest."""
        return self._calls.wait_for(what, timeout, match, after)

    def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """Poll any condition on the fake's state (e.g. `lambda: len(fake.messages(c)) == 2`)."""
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            if time.monotonic() >= deadline:
                recent = "\n".join(f"  {c.summary()}" for c in self.calls[-15:]) or "  (no calls)"
                raise AssertionError(f"timed out after {timeout}s {message}; last calls:\n{recent}")
            time.sleep(0.01)
        return result

    # State readers (copies, safe to keep) -----------------------------------------------------
    def messages(self, channel: str, *, include_replies: bool = True) -> list[Json]:
        """Current versions of the channel's messages, oldest first; thread replies carry thread_ts."""
        with self.ws.lock:
            found = self.ws.ordered(self.ws.channel(channel)["id"])
            if not include_replies:
                found = [m for m in found if m.get("thread_ts") in (None, m["ts"])]
            return self.ws.snapshot(found)

    def message(self, channel: str, ts: str) -> Json | None:
        with self.ws.lock:
            return self.ws.snapshot(self.ws.messages.get(self.ws.channel(channel)["id"], {}).get(ts))

    def thread(self, channel: str, ts: str) -> list[Json]:
        """The parent message and its replies, oldest first."""
        return [m for m in self.messages(channel) if m["ts"] == ts or m.get("thread_ts") == ts]

    def reactions(self, channel: str, ts: str) -> dict[str, list[str]]:
        """Reaction name -> the users who reacted, e.g. {"white_check_mark": ["UBOT"]}."""
        message = self.message(channel, ts) or {}
        return {r["name"]: list(r["users"]) for r in message.get("reactions", [])}

    def ephemerals(self, user: str) -> list[Json]:
        with self.ws.lock:
            return self.ws.snapshot([e for e in self.ws.ephemerals if e["user"] == user])

    def dms(self, user: str) -> list[Json]:
        return self.messages(self.dm_channel(user))

    def home_view(self, user: str) -> Json | None:
        with self.ws.lock:
            return self.ws.snapshot(self.ws.views.get(self.ws.home.get(user, "")))

    def view(self, view_id: str) -> Json | None:
        with self.ws.lock:
            return self.ws.snapshot(self.ws.views.get(view_id))

    def open_views(self, user: str) -> list[Json]:
        """The user's modal stack, bottom first, each in its latest version."""
        with self.ws.lock:
            return self.ws.snapshot([self.ws.views[v] for v in self.ws.stacks.get(user, [])])

    def last_view(self, user: str) -> Json | None:
        """The modal most recently opened, pushed or updated for the user (even if closed since)."""
        with self.ws.lock:
            return self.ws.snapshot(self.ws.views.get(self.ws.last_modal.get(user, "")))

    def files(self) -> list[Json]:
        """Completed uploads: id, name, title, channel, initial_comment, thread_ts, content (bytes)."""
        with self.ws.lock:
            return self.ws.snapshot([f for f in self.ws.files.values() if f.get("completed")])

    # Failure injection ------------------------------------------------------------------------
    def fail(
        self, method: str, status: int = 429, retry_after: int = 1, times: int = 1, error: str | None = None
    ) -> None:
        """The next `times` calls to `method` answer HTTP `status` (429 has Retry-After; 200 + error too)."""
        self._faults.fail(method, status, retry_after, times, error)

    def rate_limit_every(self, n: int, method: str | None = None, retry_after: int = 0) -> None:
        """Every n-th call (to `method`, or to any method) answers 429; n=0 switches it off."""
        self._faults.rate_limit_every(n, method, retry_after)

    def latency(self, seconds: float, method: str | None = None) -> None:
        self._faults.latency(seconds, method)

    def hold_replies(self, method: str, after: int = 0) -> None:
        """Calls to `method` after the first `after` still take effect, but their replies wait for
        `release_replies()` (see Faults.hold): a crash in that window loses Slack's answer, not the call."""
        self._faults.hold(method, after)

    def release_replies(self) -> None:
        self._faults.release()

    def held_replies(self) -> int:
        return self._faults.held()

    def clear_failures(self) -> None:
        self._faults.clear()

    # Timeline ---------------------------------------------------------------------------------
    def timeline(self) -> list[Entry]:
        return self.ws.timeline.entries()

    def record_user_action(
        self, user: str, kind: str, text: str, channel: str | None = None, **data: Any
    ) -> Entry:
        return self.ws.timeline.add("user", kind, user, channel, text, **data)

    def note(self, text: str) -> Entry:
        """A narrator's line for the transcript (e.g. "Part 2: the meeting")."""
        return self.ws.timeline.add("note", "note", None, None, text)
