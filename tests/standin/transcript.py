"""render_transcript: the fake's timeline as a conversation a person can read (used by `make demo`)."""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

from tests.standin.blocks import text_of
from tests.standin.calls import Entry
from tests.standin.fake_slack import FakeSlack

Json = dict[str, Any]
LINK = re.compile(r"<([@#!]?)([^>|]*)(?:\|([^>]*))?>")
RULE = "─" * 40


class _Renderer:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.bot = fake.display_name(fake.bot_user_id)

    def name(self, user: Any) -> str:
        return self.fake.display_name(str(user)) if user else "someone"

    def mrkdwn(self, text: str) -> str:
        def link(match: re.Match[str]) -> str:
            sigil, target, label = match.groups()
            if sigil == "@":
                return "@" + self.name(target)
            if sigil == "#":
                return "#" + label if label else self.fake.label(target)
            if sigil == "!":
                return "@" + (label or target.split("^")[0])
            return label or target

        return html.unescape(LINK.sub(link, text))

    def element(self, element: Json) -> str:
        kind = str(element.get("type"))
        label = text_of(element.get("text")) or text_of(element.get("placeholder"))
        if kind == "button":
            return f"[ {self.mrkdwn(label)} ]"
        if kind == "overflow":
            return "[ ⋯ ]"
        if kind == "image":
            return f"[image: {element.get('alt_text', '')}]"
        return f"[ {label or kind.replace('_', ' ')} ▾ ]"

    def blocks(self, blocks: list[Json]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                lines.append(text_of(block.get("text")).upper())
            elif kind == "section":
                text = self.mrkdwn(text_of(block.get("text")))
                if isinstance(block.get("accessory"), dict):
                    text = f"{text}  {self.element(block['accessory'])}".strip()
                lines.extend(text.splitlines() if text else [])
                lines.extend("  " + self.mrkdwn(text_of(f)) for f in block.get("fields") or [])
            elif kind == "context":
                parts = [self.mrkdwn(text_of(e)) or self.element(e) for e in block.get("elements") or []]
                lines.append("  · " + " · ".join(p for p in parts if p))
            elif kind == "actions":
                lines.append("  ".join(self.element(e) for e in block.get("elements") or []))
            elif kind == "divider":
                lines.append(RULE)
            elif kind == "image":
                lines.append(f"[image: {block.get('alt_text', '')}]")
            elif kind == "input":
                shown = self.element(block.get("element") or {})
                lines.append(f"{text_of(block.get('label'))}: {shown}")
            elif kind == "rich_text":
                lines.append(self.mrkdwn(_rich_text(block)))
            else:
                lines.append(f"[{kind}]")
        return lines

    def message(self, message: Json, fallback: str = "") -> list[str]:
        try:
            lines = self.blocks(message.get("blocks") or [])
        except Exception:  # a block we cannot read: the fallback text is what Slack would notify with
            lines = []
        text = str(message.get("text") or fallback)
        return lines or self.mrkdwn(text).splitlines() or ["(empty message)"]

    def fields(self, view: Json) -> str:
        labels = [text_of(b.get("label")) for b in view.get("blocks") or [] if b.get("type") == "input"]
        return "fields: " + " · ".join(labels) if labels else ""

    def bot_entry(self, entry: Entry) -> tuple[str, list[str]]:
        data, bot, kind = entry.data, self.bot, entry.kind
        message = data.get("message") or {}
        in_thread = message.get("thread_ts") not in (None, message.get("ts"))
        if kind == "message":
            return (f"  ↳ {bot} (in thread): " if in_thread else f"{bot}: "), self.message(
                message, entry.text
            )
        if kind == "update":
            return f"{bot} (card updated): ", [
                _changes(self.message(data["previous"]), self.message(message))
            ]
        if kind == "ephemeral":
            who = self.name(message.get("user"))
            return f"(only {who} sees) {bot}: ", self.message(message, entry.text)
        if kind == "delete":
            return f"({bot} deleted its message: ", [self.message(message)[0] + ")"]
        if kind in ("reaction", "unreaction"):
            author = message.get("user")
            whose = "its own" if author == self.fake.bot_user_id else f"{self.name(author)}'s"
            verb = "reacted" if kind == "reaction" else "took back"
            return "", [f"✓ {bot} {verb} :{data.get('name')}: to {whose} message"]
        if kind in ("view_open", "view_push", "view_update"):
            view, who = data.get("view") or {}, self.name(data.get("user"))
            verb = {"view_open": "opened", "view_push": "pushed", "view_update": "updated"}[kind]
            head = f"[modal '{text_of(view.get('title'))}' {verb} for {who}]"
            return "", [head] + (
                [f"    {self.fields(view)}"] if kind != "view_update" and self.fields(view) else []
            )
        if kind == "view_errors":
            view, who = data.get("view") or {}, self.name(data.get("user"))
            return "", [f"[modal '{text_of(view.get('title'))}' refused for {who}: {entry.text}]"]
        if kind == "home":
            first = (self.blocks((data.get("view") or {}).get("blocks") or []) or [""])[0]
            return "", [f"[Home tab updated for {self.name(data.get('user'))}] {first}".rstrip()]
        if kind == "file":
            file = data.get("file") or {}
            comment = f" — {self.mrkdwn(str(file['initial_comment']))}" if file.get("initial_comment") else ""
            return "", [f"[file uploaded: {file.get('name')}] '{file.get('title')}'{comment}"]
        return f"{bot}: ", [self.mrkdwn(entry.text)]

    def user_entry(self, entry: Entry) -> tuple[str, list[str]]:
        who, text, kind = self.name(entry.actor), self.mrkdwn(entry.text), entry.kind
        where = f" on the {entry.data['where']}" if entry.data.get("where") else ""
        formats = {
            "command": (f"{who}: ", text),
            "message": (f"{who}: ", text),
            "reply": (f"  ↳ {who} (in thread): ", text),
            "click": ("", f"{who} {text}{where}"),
            "submit": ("", f"{who} {text}"),
            "close": ("", f"{who} {text}"),
            "edit": ("", f"{who} edited their message: {text}"),
            "delete": ("", f"{who} deleted their message: {text}"),
            "react": ("", f"{who} reacted :{entry.text}:"),
            "home_opened": ("", f"{who} {text}"),
            "joined": ("", f"{who} joined {self.fake.label(entry.channel)}"),
        }
        prefix, line = formats.get(kind, (f"{who}: ", text))
        return prefix, line.splitlines() or [""]


def render_transcript(fake: FakeSlack, width: int = 100) -> str:
    """Interleave what people did and what the bot showed, grouped under the conversation it happened in."""
    renderer, out, current = _Renderer(fake), [], ""
    for entry in fake.timeline():
        if entry.side == "note":
            out += ["", f"=== {entry.text} ==="]
            current = ""
            continue
        try:
            prefix, lines = renderer.bot_entry(entry) if entry.side == "bot" else renderer.user_entry(entry)
        except Exception:  # never let the story crash on something unexpected
            prefix, lines = f"{renderer.name(entry.actor)}: ", [entry.text or entry.kind]
        if entry.channel and fake.label(entry.channel) != current:
            current = fake.label(entry.channel)
            out += ["", f"── {current} " + "─" * max(3, width - len(current) - 4)]
        out += _wrap(prefix, lines, width)
    return "\n".join(out).strip("\n") + "\n"


def _wrap(prefix: str, lines: list[str], width: int) -> list[str]:
    indent = " " * min(len(prefix), 24)
    wrapped: list[str] = []
    for i, line in enumerate(lines):
        first = prefix if i == 0 else indent
        if not line.strip():
            wrapped.append(first.rstrip())
            continue
        hanging = indent + line[: len(line) - len(line.lstrip())]  # wrapped text lines up with its line
        wrapped += textwrap.wrap(
            line, width, initial_indent=first, subsequent_indent=hanging, break_on_hyphens=False
        ) or [first]
    return wrapped


def _changes(before: list[str], after: list[str]) -> str:
    """The card's first line and what changed, not the whole card again."""
    added = [line.strip() for line in after if line not in before and line.strip()]
    removed = [line.strip() for line in before if line not in after and line.strip()]
    head = after[0] if after else ""
    if added:
        shown, rest = "now: " + "; ".join(f"'{line}'" for line in added[:2]), len(added) - 2 + len(removed)
    elif removed:
        shown, rest = "removed " + "; ".join(f"'{line}'" for line in removed[:2]), len(removed) - 2
    else:
        return f"{head} — no visible change"
    return f"{head} — {shown}" + (f" (+{rest} more changes)" if rest > 0 else "")


def _rich_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "user":
            return f"<@{node.get('user_id')}>"
        if "text" in node and isinstance(node["text"], str):
            return node["text"]
        return "".join(_rich_text(child) for child in node.get("elements") or [])
    return ""
