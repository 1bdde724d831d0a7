"""render_transcript: the fake's timeline as a conversation a person can read (used by `make demo`).

Slack's formatting is turned into plain text: *bold* and _italic_ lose their marks (a line that is bold
from end to end is a heading, shown in capitals like a header block), `code` is shown in quotes, links
and mentions show their names, and &lt; &gt; &amp; are the characters again. A card the bot redraws
shows only what it added (or, failing that, what it removed); a redraw with no visible change is left out.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from typing import Any

from tests.standin.blocks import text_of
from tests.standin.calls import Entry
from tests.standin.fake_slack import FakeSlack

Json = dict[str, Any]
LINK = re.compile(r"<([@#!]?)([^>|]*)(?:\|([^>]*))?>")
RULE = "─" * 40
CODE = re.compile(r"```(.*?)```|`([^`\n]+)`", re.DOTALL)
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])")
WHOLE_LINE_BOLD = re.compile(r"^\s*\*(?=\S)([^*\n]*?\S)\*\s*$")
BULLET = re.compile(r"^\s*(?:[•◦▪-]|\d{1,3}[.)])\s+(?=\S)")
SUBMITTED = re.compile(r"submitted '(?P<title>[^']*)' modal: (?P<summary>.*)", re.DOTALL)
EMOJI_CODE = re.compile(r":([a-z0-9_+'-]+):")
EMOJI = {  # the codes a Slack bot commonly uses, and the ones people react with most
    "white_check_mark": "✅", "heavy_check_mark": "✔️", "ballot_box_with_check": "☑️", "x": "❌",
    "warning": "⚠️", "no_entry": "⛔", "information_source": "ℹ️", "question": "❓", "exclamation": "❗",
    "large_green_circle": "🟢", "large_yellow_circle": "🟡", "red_circle": "🔴", "large_blue_circle": "🔵",
    "white_circle": "⚪", "tada": "🎉", "wave": "👋", "clap": "👏", "raised_hands": "🙌", "pray": "🙏",
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "ok_hand": "👌", "muscle": "💪", "eyes": "👀",
    "heart": "❤️", "smile": "😄", "slightly_smiling_face": "🙂", "blush": "😊", "joy": "😂", "thinking_face": "🤔",
    "sparkles": "✨", "star": "⭐", "fire": "🔥", "rocket": "🚀", "bulb": "💡", "memo": "📝", "pencil": "📝",
    "pencil2": "✏️", "clipboard": "📋", "pushpin": "📌", "round_pushpin": "📍", "calendar": "📅",
    "date": "📅", "spiral_calendar_pad": "🗓️", "alarm_clock": "⏰", "hourglass": "⌛", "hourglass_flowing_sand": "⏳",
    "bell": "🔔", "mega": "📣", "loudspeaker": "📢", "speech_balloon": "💬", "email": "📧", "envelope": "✉️",
    "page_facing_up": "📄", "bookmark_tabs": "📑", "books": "📚", "lock": "🔒", "key": "🔑", "link": "🔗",
    "house": "🏠", "hospital": "🏥", "handshake": "🤝", "busts_in_silhouette": "👥", "bust_in_silhouette": "👤",
    "arrow_right": "➡️", "arrow_forward": "▶️", "point_right": "👉", "heavy_plus_sign": "➕", "recycle": "♻️",
    "seedling": "🌱", "sunny": "☀️", "coffee": "☕", "tea": "🍵", "cake": "🍰",
}


class _Renderer:
    def __init__(self, fake: FakeSlack, emoji: bool) -> None:
        self.fake, self.emoji = fake, emoji
        self.bot = fake.display_name(fake.bot_user_id)

    def name(self, user: Any) -> str:
        return self.fake.display_name(str(user)) if user else "someone"

    def glyph(self, name: Any) -> str:
        """An emoji code as the emoji (when asked to), else as Slack writes it."""
        if not name:
            return "an emoji"
        code = str(name)
        return EMOJI.get(code, f":{code}:") if self.emoji else f":{code}:"

    # Slack's mrkdwn as plain text -------------------------------------------------------------
    def mrkdwn(self, text: Any) -> str:
        """Mentions and links as names, formatting marks removed, entities decoded; lines kept."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        out, at = [], 0
        for match in CODE.finditer(text):  # nothing inside `code` is formatting
            out.append(self._formatted(text[at:match.start()]))
            block, inline = match.groups()
            out.append(_unescape(block.strip("\n")) if block is not None else f'"{_unescape(inline)}"')
            at = match.end()
        out.append(self._formatted(text[at:]))
        return "".join(out)

    def _formatted(self, text: str) -> str:
        lines = []
        for line in LINK.sub(self._link, text).split("\n"):
            heading = WHOLE_LINE_BOLD.match(line)
            if heading:
                line = line[: heading.start(1) - 1] + heading.group(1)
            for pattern in (BOLD, ITALIC, STRIKE):
                line = pattern.sub(r"\1", line)
            if self.emoji:
                line = EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), line)
            line = _unescape(line)
            lines.append(line.upper() if heading else line)
        return "\n".join(lines)

    def _link(self, match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "@":
            return "@" + self.name(target)
        if sigil == "#":
            return "#" + label if label else self.fake.label(target)
        if sigil == "!":
            return "@" + (label or target.split("^")[0])
        return label or target

    # Block Kit --------------------------------------------------------------------------------
    def element(self, element: Any) -> str:
        if not isinstance(element, dict):
            return ""
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
                lines.append(self.mrkdwn(text_of(block.get("text"))).upper())
            elif kind == "section":
                text = self.mrkdwn(text_of(block.get("text")))
                if isinstance(block.get("accessory"), dict):
                    text = f"{text}  {self.element(block['accessory'])}".strip()
                lines.extend(text.splitlines() if text else [])
                fields = block.get("fields")
                lines.extend("  " + self.mrkdwn(text_of(f)) for f in (fields if isinstance(fields, list) else []))
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

    def message(self, message: Any, fallback: str = "") -> list[str]:
        message = message if isinstance(message, dict) else {}
        try:
            lines = self.blocks(message.get("blocks") or [])
        except Exception:  # a block we cannot read: the fallback text is what Slack would notify with
            lines = []
        text = str(message.get("text") or fallback)
        return lines or self.mrkdwn(text).splitlines() or ["(empty message)"]

    def fields(self, view: Json) -> str:
        labels = [text_of(b.get("label")) for b in view.get("blocks") or [] if b.get("type") == "input"]
        return "fields: " + " · ".join(labels) if labels else ""

    # Timeline entries -------------------------------------------------------------------------
    def bot_entry(self, entry: Entry) -> tuple[str, list[str]] | None:
        """(prefix, lines) for what the bot did; None for something nobody would have seen change."""
        data, bot, kind = entry.data, self.bot, entry.kind
        message = data.get("message") if isinstance(data.get("message"), dict) else {}
        in_thread = message.get("thread_ts") not in (None, message.get("ts"))
        if kind == "message":
            return (f"  ↳ {bot} (in thread): " if in_thread else f"{bot}: "), self.message(
                message, entry.text
            )
        if kind == "update":
            change = self.change(data.get("previous"), message, entry.text)
            return None if change is None else (f"{bot} (card updated): ", change)
        if kind == "ephemeral":
            who = self.name(message.get("user"))
            again = ", in place of its last answer" if data.get("replaced") else ""
            return f"(only {who} sees{again}) {bot}: ", self.message(message, entry.text)
        if kind == "delete":
            return f"({bot} deleted its message: ", [self.message(message)[0] + ")"]
        if kind in ("reaction", "unreaction"):
            author = message.get("user")
            whose = "its own" if author == self.fake.bot_user_id else f"{self.name(author)}'s"
            verb = "reacted" if kind == "reaction" else "took back"
            mark = "" if self.emoji else "✓ "
            return "", [f"{mark}{bot} {verb} {self.glyph(data.get('name'))} to {whose} message"]
        if kind in ("view_open", "view_push", "view_update"):
            view, who = data.get("view") or {}, self.name(data.get("user"))
            verb = {"view_open": "opened", "view_push": "pushed", "view_update": "updated"}[kind]
            head = f"[modal '{text_of(view.get('title'))}' {verb} for {who}]"
            if kind == "view_update":  # a form coming back, usually with a question on top
                notes = [line.strip(" ·") for line in self.blocks(view.get("blocks") or []) if line.startswith("  · ")]
                return "", [head] + [f"    {note}" for note in notes[:1]]
            return "", [head] + ([f"    {self.fields(view)}"] if self.fields(view) else [])
        if kind == "view_errors":
            view, who = data.get("view") or {}, self.name(data.get("user"))
            return "", [f"[modal '{text_of(view.get('title'))}' refused for {who}: {entry.text}]"]
        if kind == "home":
            first = (self.blocks((data.get("view") or {}).get("blocks") or []) or [""])[0]
            return "", [f"[Home tab updated for {self.name(data.get('user'))}] {first}".rstrip()]
        if kind == "file":
            file = data.get("file") or {}
            comment = f" — {self.mrkdwn(str(file['initial_comment']))}" if file.get("initial_comment") else ""
            content, size = file.get("content"), ""
            if isinstance(content, (bytes, str)) and content:
                n = len(content.splitlines())
                size = f" ({n} line{'' if n == 1 else 's'})"
            return "", [f"[file uploaded: {file.get('name')}] '{file.get('title')}'{size}{comment}"]
        return f"{bot}: ", self.mrkdwn(entry.text).splitlines() or [""]

    def user_entry(self, entry: Entry) -> tuple[str, list[str]]:
        who, text, kind = self.name(entry.actor), self.mrkdwn(entry.text), entry.kind
        if kind == "submit":  # what was typed in a form is plain text, not mrkdwn
            return "", _submitted(who, str(entry.text or ""), entry.data.get("view"))
        where = f" on the {entry.data['where']}" if entry.data.get("where") else ""
        formats = {
            "command": (f"{who}: ", text),
            "message": (f"{who}: ", text),
            "reply": (f"  ↳ {who} (in thread): ", text),
            "click": ("", f"{who} {text}{where}"),
            "close": ("", f"{who} {text}"),
            "edit": ("", f"{who} edited their message: {text}"),
            "delete": ("", f"{who} deleted their message: {text}"),
            "react": ("", f"{who} reacted {self.glyph(entry.text)}"),
            "home_opened": ("", f"{who} {text}"),
            "joined": ("", f"{who} joined {self.fake.label(entry.channel)}"),
        }
        prefix, line = formats.get(kind, (f"{who}: ", text))
        return prefix, line.splitlines() or [""]

    def change(self, previous: Any, message: Json, text: str = "") -> list[str] | None:
        """A redrawn card as its first line and what it now shows that it did not; None if nothing visible."""
        before, after = self.message(previous) if previous else [], self.message(message, text)
        gained, removed = _diff(before, after)
        added = [line.strip(" ·") for line in gained if line.strip(" ·")]  # a context line's dot is not news
        head = after[0].strip() if after else ""
        if added:
            more = [f"  (+{len(added) - MAX_ADDED} more lines)"] if len(added) > MAX_ADDED else []
            if len(added) == 1:
                return [f"{head} — now: {added[0]}"]
            return [f"{head} — now:", *(f"  {line}" for line in added[:MAX_ADDED]), *more]
        if removed:
            rest = len(removed) - 2
            listed = "; ".join(f"'{line}'" for line in removed[:2])
            return [f"{head} — removed {listed}" + (f" (+{rest} more)" if rest > 0 else "")]
        return None


MAX_ADDED = 4  # a redrawn card shows at most this many of the lines it gained


def render_transcript(fake: FakeSlack, width: int = 100, *, emoji: bool = False) -> str:
    """Interleave what people did and what the bot showed, under a divider each time the conversation changes.

    emoji: show emoji codes (:white_check_mark:) as the emoji (✅), for readers who have never seen Slack.
    """
    renderer, out = _Renderer(fake, emoji), []
    current: str | None = None
    last_change: list[str] | None = None  # the previous line was this card change...
    same_again = 0  # ...and this many more cards changed the same way right after it
    for entry in fake.timeline():
        if entry.side == "note":
            same_again = _flush(out, same_again, width, renderer.bot)
            last_change = None
            out += ["", f"=== {entry.text or ''} ==="]
            continue
        try:
            shown = renderer.bot_entry(entry) if entry.side == "bot" else renderer.user_entry(entry)
        except Exception:  # never let the story crash on something unexpected
            shown = f"{renderer.name(entry.actor)}: ", [str(entry.text or entry.kind)]
        if shown is None:
            continue
        prefix, lines = shown[0], [str(line) for line in shown[1]] or [""]
        label = _label(fake, entry.channel)
        is_change = entry.kind == "update" and entry.side == "bot"
        if is_change and last_change is not None and label in (None, current) and _same(lines, last_change):
            same_again += 1
            continue
        same_again = _flush(out, same_again, width, renderer.bot)
        last_change = lines if is_change else None
        if label is not None and label != current:
            current = label
            out += ["", f"── {current} " + "─" * max(3, width - len(current) - 4)]
        out += _wrap(prefix, lines, width)
    _flush(out, same_again, width, renderer.bot)
    return "\n".join(out).strip("\n") + "\n"


def _label(fake: FakeSlack, channel: Any) -> str | None:
    try:
        return fake.label(channel) if channel else None
    except Exception:  # a channel id we cannot look up is still a conversation of its own
        return str(channel)


def _same(change: list[str], other: list[str]) -> bool:
    """Two card changes that say the same thing after the cards' names (the first line's head)."""
    def tail(line: str) -> str:
        return line.split(" — ", 1)[-1]

    return change[1:] == other[1:] and tail(change[0]) == tail(other[0])


def _flush(out: list[str], same_again: int, width: int, bot: str) -> int:
    if same_again:
        cards = "card" if same_again == 1 else "cards"
        out += _wrap(f"{bot} (card updated): ", [f"the same on {same_again} more {cards}"], width)
    return 0


def _diff(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The visible lines `after` gained and lost, in order; blank lines and rules are not news."""
    def visible(lines: list[str]) -> list[str]:
        return [line.strip() for line in lines if line.strip() and line.strip() != RULE]

    old, new = visible(before), visible(after)
    added, removed = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            removed += old[i1:i2]
        if op in ("replace", "insert"):
            added += new[j1:j2]
    return added, removed


def _submitted(who: str, text: str, view: Any) -> list[str]:
    """'X submitted the form' and what they put in it: inline for one short answer, else a field a line."""
    found = SUBMITTED.match(text)
    labels = [text_of(b.get("label")) for b in (view or {}).get("blocks") or []
              if isinstance(b, dict) and b.get("type") == "input"] if isinstance(view, dict) else []
    if not found or not labels:
        return f"{who} {text}".splitlines() or [who]
    head, summary, answers, at = f"{who} submitted '{found['title']}' modal", found["summary"], [], 0
    for label in labels:  # the driver writes "Label: value; Label: value", in the form's order
        start = summary.find(f"{label}: " if at == 0 else f"; {label}: ", at)
        if start < 0 or (at == 0 and start != 0):
            continue
        if answers:
            answers[-1][1] = summary[answers[-1][2]:start]
        value_at = start + len(label) + (2 if at == 0 else 4)
        answers.append([label, "", value_at])
        at = value_at
    if not answers:
        return [f"{head}: {summary}"]
    answers[-1][1] = summary[answers[-1][2]:]
    shown = [f"{label}{' ' if label.endswith('?') else ': '}{value}" for label, value, _ in answers]
    if len(shown) == 1 and "\n" not in shown[0]:
        return [f"{head}: {shown[0]}"]
    return [f"{head}:"] + [f"    {line}" for answer in shown for line in answer.splitlines()]


def _wrap(prefix: str, lines: list[str], width: int) -> list[str]:
    indent = " " * min(len(prefix), 24)
    wrapped: list[str] = []
    for i, line in enumerate(lines):
        first = prefix if i == 0 else indent
        if not line.strip():
            wrapped.append(first.rstrip())
            continue
        bullet = BULLET.match(line)  # wrapped text lines up with its line, and with the text after a bullet
        hanging = indent + (" " * len(bullet.group(0)) if bullet else line[: len(line) - len(line.lstrip())])
        wrapped += textwrap.wrap(
            line, width, initial_indent=first, subsequent_indent=hanging, break_on_hyphens=False
        ) or [first]
    return wrapped


def _unescape(text: str) -> str:
    """Slack escapes exactly these three in message text; anything else written with & is meant literally."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _rich_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "user":
            return f"<@{node.get('user_id')}>"
        if "text" in node and isinstance(node["text"], str):
            return node["text"]
        return "".join(_rich_text(child) for child in node.get("elements") or [])
    return ""
