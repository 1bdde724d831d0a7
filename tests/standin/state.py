"""The stand-in's workspace: directory, conversations, messages, views, files. Guard with `lock`."""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tests.standin.calls import Timeline

Json = dict[str, Any]
T = TypeVar("T")


class ApiError(Exception):
    """A Slack API error: answered as HTTP 200 with {"ok": false, "error": ...}."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def ts_key(ts: str) -> tuple[int, int]:
    seconds, _, fraction = str(ts).partition(".")
    return int(seconds or 0), int((fraction or "0").ljust(6, "0")[:6])


def user_object(team_id: str, user_id: str, name: str, real_name: str | None, tz: str, is_bot: bool) -> Json:
    real = real_name or name
    now = datetime.now(ZoneInfo(tz))
    offset = now.utcoffset()
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "real_name": real,
        "deleted": False,
        "tz": tz,
        "tz_label": now.tzname(),
        "tz_offset": int(offset.total_seconds()) if offset else 0,
        "is_bot": is_bot,
        "is_admin": False,
        "is_app_user": False,
        "updated": int(time.time()),
        "profile": {
            "real_name": real,
            "display_name": name,
            "real_name_normalized": real,
            "display_name_normalized": name,
            "team": team_id,
        },
    }


class Workspace:
    """Plain state; the API modules and the FakeSlack readers hold `lock` while they touch it."""

    def __init__(self, team_id: str, bot_user_id: str, bot_name: str) -> None:
        self.lock = threading.RLock()
        self.team_id, self.bot_user_id, self.bot_name = team_id, bot_user_id, bot_name
        self.bot_id, self.app_id, self.team_domain = "B0BOT", "A0APP", "carehome-test"
        self.users: dict[str, Json] = {}
        self.channels: dict[str, Json] = {}
        self.messages: dict[str, dict[str, Json]] = {}
        self.ephemerals: list[Json] = []
        self.views: dict[str, Json] = {}
        self.view_user: dict[str, str] = {}
        self.stacks: dict[str, list[str]] = {}
        self.home: dict[str, str] = {}
        self.last_modal: dict[str, str] = {}
        self.triggers: dict[str, Json] = {}
        self.response_urls: dict[int, Json] = {}
        self.files: dict[str, Json] = {}
        self.timeline = Timeline()
        self.base_url = ""
        self.trigger_ttl: float | None = None
        self.oauth: Any = None  # an api_oauth.OAuthApp once FakeSlack.enable_oauth() is called
        self._ids = itertools.count(1)
        self._last_ts = 0
        self.add_user(bot_user_id, bot_name.lower().replace(" ", "-"), bot_name, "Europe/London", True)

    def next_id(self) -> int:
        return next(self._ids)

    def next_ts(self) -> str:
        with self.lock:
            self._last_ts = max(int(time.time() * 1_000_000), self._last_ts + 100)
            return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    # Directory -------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, real_name: str | None, tz: str, is_bot: bool) -> Json:
        with self.lock:
            self.users[user_id] = user_object(self.team_id, user_id, name, real_name, tz, is_bot)
            return self.users[user_id]

    def user(self, user_id: Any) -> Json:
        if not isinstance(user_id, str) or user_id not in self.users:
            raise ApiError("user_not_found")
        return self.users[user_id]

    def add_channel(self, channel_id: str, name: str, members: list[str], is_private: bool) -> Json:
        with self.lock:
            self.channels[channel_id] = {
                "id": channel_id,
                "name": name,
                "is_channel": not is_private,
                "is_group": is_private,
                "is_im": False,
                "is_private": is_private,
                "is_archived": False,
                "created": int(time.time()),
                "members": list(dict.fromkeys(members)),
            }
            self.messages.setdefault(channel_id, {})
            return self.channels[channel_id]

    def dm(self, user_id: str) -> Json:
        """The bot's DM with a user, opened on first use (its id is "D" + the user id)."""
        with self.lock:
            self.user(user_id)
            channel_id = "D" + user_id
            if channel_id not in self.channels:
                self.channels[channel_id] = {
                    "id": channel_id,
                    "is_im": True,
                    "is_channel": False,
                    "is_group": False,
                    "is_private": True,
                    "user": user_id,
                    "created": int(time.time()),
                    "members": [user_id, self.bot_user_id],
                }
                self.messages.setdefault(channel_id, {})
            return self.channels[channel_id]

    def channel(self, channel_id: Any) -> Json:
        """A conversation by id; a user id means the bot's DM with them, "#name" or "name" works too."""
        if not isinstance(channel_id, str) or not channel_id:
            raise ApiError("channel_not_found")
        if channel_id in self.channels:
            return self.channels[channel_id]
        if channel_id in self.users:
            return self.dm(channel_id)
        if channel_id.startswith("D") and channel_id[1:] in self.users:
            return self.dm(channel_id[1:])
        for channel in self.channels.values():
            if channel.get("name") == channel_id.lstrip("#"):
                return channel
        raise ApiError("channel_not_found")

    def label(self, channel_id: str | None) -> str:
        channel = self.channels.get(channel_id or "")
        if channel is None:
            return str(channel_id)
        if channel.get("is_im"):
            return f"DM to {self.display_name(channel.get('user'))}"
        return f"#{channel.get('name')}"

    def display_name(self, user_id: Any) -> str:
        user = self.users.get(user_id) if isinstance(user_id, str) else None
        return str(user.get("real_name") or user.get("name")) if user else str(user_id)

    # Messages --------------------------------------------------------------------------------
    def add_message(self, channel_id: str, message: Json) -> Json:
        """Store a message (its ts assigned here) and keep the thread parent's reply counters."""
        with self.lock:
            message = {"type": "message", **message, "ts": self.next_ts()}
            message.setdefault("team", self.team_id)
            self.messages.setdefault(channel_id, {})[message["ts"]] = message
            parent = self.messages[channel_id].get(message.get("thread_ts") or "")
            if parent is not None and parent is not message:
                parent["thread_ts"] = parent["ts"]
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                users = parent.setdefault("reply_users", [])
                if message.get("user") not in users:
                    users.append(message.get("user"))
                parent["latest_reply"] = message["ts"]
            return message

    def message(self, channel_id: str, ts: Any) -> Json:
        found = self.messages.get(channel_id, {}).get(str(ts)) if ts else None
        if found is None:
            raise ApiError("message_not_found")
        return found

    def ordered(self, channel_id: str) -> list[Json]:
        return sorted(self.messages.get(channel_id, {}).values(), key=lambda m: ts_key(m["ts"]))

    def snapshot(self, value: T) -> T:
        with self.lock:
            return copy.deepcopy(value)

    # Triggers and response URLs ---------------------------------------------------------------
    def issue_trigger(self, user_id: str) -> str:
        with self.lock:
            trigger = f"{int(time.time())}{self.next_id():04d}.4242424242.{secrets.token_hex(16)}"
            self.triggers[trigger] = {"user": user_id, "issued": time.monotonic(), "used": False}
            return trigger

    def use_trigger(self, trigger_id: Any) -> str:
        """The user a trigger was issued for; a trigger works once (and within trigger_ttl if set)."""
        trigger = self.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None or trigger["used"]:
            raise ApiError("invalid_trigger_id")
        if self.trigger_ttl is not None and time.monotonic() - trigger["issued"] > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger["used"] = True
        return str(trigger["user"])

    def new_response_url(self, channel_id: str | None, user_id: str, message_ts: str | None) -> str:
        with self.lock:
            n = self.next_id()
            self.response_urls[n] = {
                "channel": channel_id,
                "user": user_id,
                "message_ts": message_ts,
                "uses": 0,
            }
            return f"{self.base_url}/response/{n}"
