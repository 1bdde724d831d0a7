"""Slack's `state.values` for a view: what each input element sends back, by element type, from plain
Python values given by a test (or the element's initial value, as Slack sends pre-filled fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.standin.blocks import Block, elements, find_option, text_of

SINGLE_SELECT = {"static_select", "external_select", "radio_buttons"}
MULTI_SELECT = {"multi_static_select", "multi_external_select", "checkboxes"}
TEXT_INPUTS = {"plain_text_input", "number_input", "email_text_input", "url_text_input"}
# element type -> (state key, initial key) for selects whose state is an id or list of ids
ID_SELECTS = {
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}
STATEFUL = (
    SINGLE_SELECT
    | MULTI_SELECT
    | TEXT_INPUTS
    | set(ID_SELECTS)
    | {
        "datepicker",
        "timepicker",
        "datetimepicker",
        "rich_text_input",
    }
)


def element_state(element: Block, value: Any, given: bool) -> Block:
    """One `state.values[block_id][action_id]` entry; `given` False means "whatever is pre-filled"."""
    kind = str(element.get("type"))
    state: Block = {"type": kind}
    if kind in TEXT_INPUTS:
        raw = value if given else element.get("initial_value")
        state["value"] = None if raw is None or raw == "" else str(raw)
    elif kind in SINGLE_SELECT:
        raw = value if given else element.get("initial_option")
        state["selected_option"] = None if raw is None else find_option(element, raw)
    elif kind in MULTI_SELECT:
        raw = value if given else element.get("initial_options") or []
        state["selected_options"] = [find_option(element, v) for v in _as_list(raw)]
    elif kind in ID_SELECTS:
        key, initial = ID_SELECTS[kind]
        raw = value if given else element.get(initial)
        state[key] = _as_list(raw) if kind.startswith("multi_") else raw
    elif kind == "datepicker":
        raw = value if given else element.get("initial_date")
        state["selected_date"] = raw.isoformat() if isinstance(raw, dt.date) else raw
    elif kind == "timepicker":
        raw = value if given else element.get("initial_time")
        state["selected_time"] = raw.strftime("%H:%M") if isinstance(raw, dt.time) else raw
        if element.get("timezone"):
            state["timezone"] = element["timezone"]
    elif kind == "datetimepicker":
        raw = value if given else element.get("initial_date_time")
        state["selected_date_time"] = int(raw.timestamp()) if isinstance(raw, dt.datetime) else raw
    elif kind == "rich_text_input":
        raw = value if given else element.get("initial_value")
        state["rich_text_value"] = raw if not isinstance(raw, str) else _rich_text(raw)
    return state


def build_state(view: Block, values: dict[str, Any]) -> dict[str, dict[str, Block]]:
    """state.values for every stateful element; `values` keys are action_ids or block_ids."""
    state: dict[str, dict[str, Block]] = {}
    unused = dict(values)
    for block, element in elements(view.get("blocks")):
        if element.get("type") not in STATEFUL:
            continue
        block_id, action_id = str(block.get("block_id")), str(element.get("action_id"))
        key = action_id if action_id in values else block_id if block_id in values else None
        given = key is not None
        unused.pop(key or "", None)
        state.setdefault(block_id, {})[action_id] = element_state(element, values.get(key or ""), given)
    if unused:
        raise AssertionError(f"no input {sorted(unused)} in view; inputs: {describe_inputs(view)}")
    return state


def describe_inputs(view: Block) -> list[str]:
    return [
        f"{e.get('action_id')} (block {b.get('block_id')}, {e.get('type')}, {text_of(b.get('label'))!r})"
        for b, e in elements(view.get("blocks"))
        if e.get("type") in STATEFUL
    ]


def summarize_state(
    view: Block, state: dict[str, dict[str, Block]], names: Callable[[str], str] = str
) -> str:
    """'Label: value; Label: value' for the timeline (what the person typed or chose)."""
    parts = []
    for block, element in elements(view.get("blocks")):
        entry = state.get(str(block.get("block_id")), {}).get(str(element.get("action_id")))
        if entry is None:
            continue
        shown = _shown(entry, names)
        if shown:
            label = text_of(block.get("label")) or str(element.get("action_id"))
            parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def _shown(entry: Block, names: Callable[[str], str]) -> str:
    for key, value in entry.items():
        if key == "type" or value in (None, [], ""):
            continue
        if key == "selected_option":
            return text_of(value.get("text"))
        if key == "selected_options":
            return ", ".join(text_of(o.get("text")) for o in value)
        if key == "rich_text_value":
            return "(rich text)"
        named = names if key.startswith("selected_user") else str
        return ", ".join(named(str(v)) for v in _as_list(value))
    return ""


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, (list, tuple, set)) else [raw]


def _rich_text(text: str) -> Block:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "elements": [section]}
