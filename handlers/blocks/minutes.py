"""The minutes of a meeting: a Markdown file, and Slack messages cut into sections and spread over as many
messages as Block Kit's limits need, so nothing is ever cut off."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml
from slack_sdk.models.blocks import Block, DividerBlock, SectionBlock

from bot.domain.minutes import MinutesData, ThemeMinutes
from bot.texts import Texts, slack_escape
from handlers.blocks.common import as_dicts, chunks, context, header, sections

Message = tuple[str, list[dict[str, Any]]]
Words = Callable[..., str]

CUT = "---section---"  # the line minutes.slack.j2 writes between sections
MESSAGE_BLOCKS = 45  # under Slack's 50, with a margin
FALLBACK_LINES = 6
FALLBACK_CHARS = 1000


def minutes_markdown(data: MinutesData, texts: Texts) -> str:
    """The minutes as a Markdown document, for the file upload."""
    return texts.render("minutes.md.j2", **_params(data, texts))


def minutes_messages(data: MinutesData, texts: Texts) -> list[Message]:
    """The Slack messages to post, in order: a header on the first, dividers between sections."""
    w = _words(texts)
    top = w("slack_header", number=data.number, group=data.group)
    when = w("when", date=data.date, started=data.started, ended=data.ended)
    pages = _pages([header(top), context(when)], [sections(part) for part in minutes_sections(data, texts)])
    more = w("continued", number=data.number, group=data.group)
    return [(_fallback(top if i == 0 else more, when if i == 0 else "", page), as_dicts(page))
            for i, page in enumerate(pages)]


def minutes_sections(data: MinutesData, texts: Texts) -> list[str]:
    """The Slack mrkdwn of the minutes, one string per section (each theme its own), none empty."""
    text = texts.render("minutes.slack.j2", cut=CUT, **_params(data, texts))
    parts = re.split(rf"^{re.escape(CUT)}$", text, flags=re.MULTILINE)
    return [part.strip("\n") for part in parts if part.strip()]


def _params(data: MinutesData, texts: Texts) -> dict[str, Any]:
    ratings = [f.rating for f in data.feedback if f.rating is not None]
    return {"d": data, "w": _words(texts), "themes": [t for t in data.themes if _covered(t)],
            "average": sum(ratings) / len(ratings) if ratings else None}


def _covered(theme: ThemeMinutes) -> bool:
    return bool(theme.working_well or theme.at_its_best)


@lru_cache(maxsize=8)
def _words(texts: Texts) -> Words:
    raw = yaml.safe_load((texts.root / "minutes.yml").read_text(encoding="utf-8"))
    compiled = {key: texts.env.from_string(str(value)) for key, value in raw.items()}
    return lambda key, **params: compiled[key].render(**params).strip()


def _pages(head: list[Block], parts: list[list[Block]]) -> list[list[Block]]:
    """Spread the sections over messages: a section that would not fit starts a new message."""
    pages: list[list[Block]] = [list(head)]
    fresh = True  # no section on this page yet, so no divider needed
    for part in parts:
        if not fresh and len(pages[-1]) + 1 + len(part) > MESSAGE_BLOCKS:
            pages.append([])
            fresh = True
        if not fresh:
            pages[-1].append(DividerBlock())
        for block in part:
            if len(pages[-1]) >= MESSAGE_BLOCKS:
                pages.append([])
            pages[-1].append(block)
        fresh = False
    return pages


def _fallback(title: str, when: str, page: list[Block]) -> str:
    body = "\n".join(b.text.text for b in page if isinstance(b, SectionBlock) and b.text is not None)
    lines = [slack_escape(title), when, *body.splitlines()[:FALLBACK_LINES]]
    return chunks("\n".join(line for line in lines if line), FALLBACK_CHARS)[0]
