"""The `actions` entry of a block_actions payload, typed like the element that was drawn."""

from __future__ import annotations

import time
from typing import Any

from tests.standin.blocks import Block, elements, find_option, text_of

Json = dict[str, Any]


def find_element(blocks: Any, action_id: str, block_id: str | None, value: str | None) -> tuple[Block, Block]:
    for block, element in elements(blocks):
        if element.get("action_id") != action_id or block_id not in (None, block.get("block_id")):
            continue
        if value is None or element.get("type") != "button" or element.get("value") == value:
            return block, element
    return {}, {}


def build_action(
    block: Block,
    element: Block,
    action_id: str,
    block_id: str | None,
    value: str | None,
    selected_option: Any,
    selected_options: list[Any] | None,
    selected_user: str | None,
) -> Json:
    kind = element.get("type") or (
        "users_select"
        if selected_user is not None
        else "multi_static_select"
        if selected_options is not None
        else "static_select"
        if selected_option is not None
        else "button"
    )
    action: Json = {
        "type": kind,
        "action_id": action_id,
        "block_id": block_id or block.get("block_id") or "",
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        action.update(
            text=element.get("text") or {"type": "plain_text", "text": action_id, "emoji": True},
            value=value if value is not None else element.get("value"),
        )
        if element.get("style"):
            action["style"] = element["style"]
    elif kind in ("users_select", "multi_users_select"):
        action["selected_user" if kind == "users_select" else "selected_users"] = selected_user
    elif selected_options is not None:
        action["selected_options"] = [_option(element, o) for o in selected_options]
    else:
        action["selected_option"] = _option(
            element, selected_option if selected_option is not None else value
        )
    if element.get("placeholder"):
        action["placeholder"] = element["placeholder"]
    return action


def _option(element: Block, wanted: Any) -> Json:
    if element.get("options") or element.get("option_groups"):
        return find_option(element, wanted)
    return {"text": {"type": "plain_text", "text": str(wanted), "emoji": True}, "value": str(wanted)}


def describe_action(action: Json) -> str:
    if action["type"] == "button":
        return f"clicked [ {text_of(action.get('text'))} ]"
    chosen = action.get("selected_option") or {}
    shown = (
        text_of(chosen.get("text"))
        or ", ".join(text_of(o.get("text")) for o in action.get("selected_options") or [])
        or str(action.get("selected_user") or "")
    )
    return f"chose '{shown}' in {action['action_id']}"
