"""Small Block Kit helpers shared by the builders: mrkdwn sections split to Slack's limits, buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150


def chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text at line ends (or, failing that, spaces) into pieces Slack accepts."""
    out: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip():
        out.append(rest)
    return out


def sections(text: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=part)) for part in chunks(text)]


def header(text: str) -> HeaderBlock:
    clipped = text if len(text) <= HEADER_LIMIT else text[: HEADER_LIMIT - 1] + "…"
    return HeaderBlock(text=PlainTextObject(text=clipped))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=chunks(text, 2000)[0] if text else " ")])


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=text[:75]), action_id=action_id, value=value, style=style)


def actions(*elements: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements), block_id=block_id)


def as_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [b.to_dict() for b in blocks[:50]]


def local_date(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%-d %B %Y")
