"""Slack's Block Kit limits, checked the way Slack checks them (raw dicts reach the stand-in unchecked)."""

from __future__ import annotations

from typing import Any

from tests.standin.blocks import options, text_of
from tests.standin.state import ApiError, Json

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100


def _problems(blocks: Any, limit: int, where: str) -> list[str]:
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{where}]"]
    found: list[str] = []
    if len(blocks) > limit:
        found.append(f"must be less than {limit + 1} items [json-pointer:{where}]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        here = f"{where}/{i}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            found.append(f"missing required field: type [json-pointer:{here}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                found.append(f"duplicate block_id {block_id!r} [json-pointer:{here}/block_id]")
            seen_ids.add(block_id)
            if len(str(block_id)) > 255:
                found.append(f"must be less than 256 characters [json-pointer:{here}/block_id]")
        found.extend(_block_problems(block, here))
    return found


def _too_long(value: Any, limit: int, pointer: str) -> list[str]:
    text = text_of(value)
    return [f"must be less than {limit + 1} characters [json-pointer:{pointer}]"] if len(text) > limit else []


def _block_problems(block: Json, here: str) -> list[str]:
    kind, found = block["type"], []
    if kind == "header":
        found += _too_long(block.get("text"), 150, f"{here}/text/text")
    elif kind == "section":
        found += _too_long(block.get("text"), 3000, f"{here}/text/text")
        fields = block.get("fields") or []
        if len(fields) > 10:
            found.append(f"must be less than 11 items [json-pointer:{here}/fields]")
        for j, field in enumerate(fields):
            found += _too_long(field, 2000, f"{here}/fields/{j}/text")
        if block.get("text") is None and not fields:
            found.append(f"must provide text or fields [json-pointer:{here}]")
    elif kind == "actions" and len(block.get("elements") or []) > 25:
        found.append(f"must be less than 26 items [json-pointer:{here}/elements]")
    elif kind == "context" and len(block.get("elements") or []) > 10:
        found.append(f"must be less than 11 items [json-pointer:{here}/elements]")
    elements = (
        block.get("elements") if kind == "actions" else [block.get("accessory") or block.get("element")]
    )
    action_ids: set[str] = set()
    for element in elements or []:
        if not isinstance(element, dict):
            continue
        action_id = element.get("action_id")
        if action_id is not None:
            if action_id in action_ids:
                found.append(f"duplicate action_id {action_id!r} [json-pointer:{here}]")
            action_ids.add(action_id)
        if element.get("type") == "button":
            found += _too_long(element.get("text"), 75, f"{here}/text/text")
            found += _too_long(element.get("value"), 2000, f"{here}/value")
        for option in options(element):
            found += _too_long(option.get("text"), 75, f"{here}/options/text")
            found += _too_long(option.get("value"), 150, f"{here}/options/value")
    return found


def check_message(args: Json) -> None:
    if not args.get("text") and not args.get("blocks") and not args.get("attachments"):
        raise ApiError("no_text")
    if args.get("blocks") is not None:
        problems = _problems(args["blocks"], MESSAGE_BLOCKS, "/blocks")
        if problems:
            raise ApiError(
                "invalid_blocks", response_metadata={"messages": [f"[ERROR] {p}" for p in problems]}
            )


def check_view(view: Any) -> None:
    if not isinstance(view, dict):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] view must be an object"]}
        )
    problems = _problems(view.get("blocks"), VIEW_BLOCKS, "/view/blocks")
    if view.get("type") not in ("modal", "home"):
        problems.append("must be one of modal, home [json-pointer:/view/type]")
    if view.get("type") == "modal":
        if not text_of(view.get("title")):
            problems.append("missing required field: title [json-pointer:/view/title]")
        for part in ("title", "submit", "close"):
            problems += _too_long(view.get(part), 24, f"/view/{part}/text")
        has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or [])
        if has_inputs and not view.get("submit"):
            problems.append("must provide a submit property when using input blocks [json-pointer:/view]")
    problems += _too_long(view.get("private_metadata"), 3000, "/view/private_metadata")
    problems += _too_long(view.get("callback_id"), 255, "/view/callback_id")
    if problems:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] {p}" for p in problems]}
        )
