"""Who could see a piece of text: read from the stand-in's record of every effect the bot had in Slack."""

from __future__ import annotations

import json
from typing import Any

from tests.standin import FakeSlack

CHANNEL_SEEN = "channel"


def audience(fake: FakeSlack, token: str) -> set[str]:
    """Where `token` reached: "channel" (a message, an update or a file in a channel), "dm:U…" (the bot's DM
    with U…, a message or a file), "ephemeral:U…", "modal:U…" (a form shown to U…), "home:U…" (U…'s App Home).
    Only the bot's effects count: a thread reply is in its channel anyway, because its author put it there."""
    seen: set[str] = set()
    for entry in fake.timeline():
        if entry.side != "bot" or token not in entry.text + json.dumps(entry.data, default=_text):
            continue
        if entry.kind == "ephemeral":
            seen.add(f"ephemeral:{entry.data['message']['user']}")
        elif entry.kind in ("view_open", "view_push", "view_update"):
            seen.add(f"modal:{entry.data['user']}")
        elif entry.kind == "home":
            seen.add(f"home:{entry.data['user']}")
        elif entry.kind == "file":
            seen |= {_where(c) for c in entry.data["file"].get("channels") or []}
        elif entry.kind in ("message", "update"):
            seen.add(_where(entry.channel or ""))
    return seen


def _where(channel: str) -> str:
    return f"dm:{channel[1:]}" if channel.startswith("D") else CHANNEL_SEEN


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
