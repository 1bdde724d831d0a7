"""Walking Block Kit structures: interactive elements, Slack's generated ids, buttons by label."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

Block = dict[str, Any]


def text_of(obj: Any) -> str:
    """The visible string of a text object (plain_text or mrkdwn), a str, or ''."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return ""


def elements(blocks: list[Block] | None) -> Iterator[tuple[Block, Block]]:
    """(block, element) for every interactive element: section accessories, actions, inputs."""
    for block in blocks or []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "section" and isinstance(block.get("accessory"), dict):
            yield block, block["accessory"]
        elif kind == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict):
                    yield block, element
        elif kind == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]


def buttons(blocks: list[Block] | None) -> list[tuple[Block, Block]]:
    return [(b, e) for b, e in elements(blocks) if e.get("type") == "button"]


def _generated_id(seed: str) -> str:
    # Slack fills in short random ids for blocks and elements that lack them; ours are stable.
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:5])


def with_generated_ids(blocks: Any, salt: str) -> Any:
    """Fill in missing block_id / action_id the way Slack does when it stores a message or view."""
    if not isinstance(blocks, list):
        return blocks
    for index, block in enumerate(blocks):
        if isinstance(block, dict) and "block_id" not in block:
            block["block_id"] = _generated_id(f"{salt}:{index}:{block.get('type')}")
    for block, element in elements(blocks):
        if "action_id" not in element:
            element["action_id"] = _generated_id(
                f"{salt}:{block.get('block_id')}:{text_of(element.get('text'))}"
            )
    return blocks


def options(element: Block) -> list[Block]:
    """All options of a select / checkboxes / radio element, including those inside option_groups."""
    found = [o for o in element.get("options") or [] if isinstance(o, dict)]
    for group in element.get("option_groups") or []:
        found.extend(o for o in group.get("options") or [] if isinstance(o, dict))
    return found


def find_option(element: Block, wanted: Any) -> Block:
    """The option whose value or visible text equals `wanted` (an option dict is taken as is)."""
    if isinstance(wanted, dict):
        return wanted
    choices = options(element)
    for key in ("value", "text"):
        for option in choices:
            shown = option.get("value") if key == "value" else text_of(option.get("text"))
            if shown == str(wanted):
                return option
    labels = [f"{o.get('value')!r}/{text_of(o.get('text'))!r}" for o in choices]
    raise AssertionError(f"no option {wanted!r} in {element.get('action_id')!r}; options: {labels}")


def find_button(blocks: list[Block] | None, label: str, value: str | None = None) -> tuple[Block, Block]:
    """A button by action_id, else by visible text (exact, then case-insensitive); must be unambiguous."""
    drawn = buttons(blocks)
    if value is not None:
        drawn = [(b, e) for b, e in drawn if e.get("value") == value]
    tests = (
        lambda e: e.get("action_id") == label,
        lambda e: text_of(e.get("text")) == label,
        lambda e: text_of(e.get("text")).strip().lower() == label.strip().lower(),
    )
    for test in tests:
        hits = [(b, e) for b, e in drawn if test(e)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            several = [(e.get("action_id"), e.get("value")) for _, e in hits]
            raise AssertionError(f"{label!r} matches several buttons {several}; pass value= to choose")
    drawn_ = [f"{text_of(e.get('text'))!r} ({e.get('action_id')})" for _, e in buttons(blocks)]
    raise AssertionError(f"no button {label!r} (value={value!r}); buttons drawn: {drawn_ or 'none'}")
