"""Events API payloads as Slack builds them: the event_callback envelope and message events."""

from __future__ import annotations

import time
import uuid
from typing import Any

Json = dict[str, Any]
VERIFICATION_TOKEN = "legacy-verification-token"


def envelope(event: Json, team_id: str, app_id: str, bot_user_id: str, event_id: str | None) -> Json:
    event = {"event_ts": f"{time.time():.6f}", **event}
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def channel_type(channel: Json | None) -> str:
    if channel is None:
        return "channel"
    if channel.get("is_im"):
        return "im"
    return "group" if channel.get("is_private") else "channel"


def rich_text(text: str) -> list[Json]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [section]}]


def message_posted(message: Json, channel: str, kind: str) -> Json:
    """A `message` event for a person's new message (stored in the fake first, so it has its ts)."""
    event = {k: v for k, v in message.items() if k in ("user", "text", "ts", "team", "client_msg_id")}
    event.update(type="message", channel=channel, event_ts=message["ts"], channel_type=kind)
    event["blocks"] = rich_text(message.get("text", ""))
    if message.get("thread_ts"):
        event.update(thread_ts=message["thread_ts"], parent_user_id=message.get("parent_user_id"))
    return event


def message_changed(previous: Json, current: Json, channel: str, kind: str, event_ts: str) -> Json:
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "channel_type": kind,
        "ts": event_ts,
        "event_ts": event_ts,
        "message": {**current, "type": "message"},
        "previous_message": {**previous, "type": "message"},
    }


def message_deleted(previous: Json, channel: str, kind: str, event_ts: str) -> Json:
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel,
        "channel_type": kind,
        "ts": event_ts,
        "deleted_ts": previous["ts"],
        "event_ts": event_ts,
        "previous_message": {**previous, "type": "message"},
    }
