"""Renderings for subject access and erasure: the readable copy of a person's data (Markdown, from
templates/my_data.md.j2), the JSON copy, and the confirmation a chair (or the person) sees before erasing."""

from __future__ import annotations

import json
from typing import Any

from bot.services.erasure import ErasurePlan
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, sections
from handlers.ids import Act

KINDS = ("contributions", "theme_answers", "feedback", "check_in_words", "action_notes", "checkin_answers")


def my_data_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def my_data_markdown(data: dict[str, Any], texts: Texts) -> str:
    """The same data, readable: one section per group, what they wrote quoted as they wrote it."""
    return texts.render("my_data.md.j2", d=data)


def forget_value(plan: ErasurePlan) -> str:
    """What the confirmation's button carries: the group and whom to forget (checked again on click)."""
    return f"{plan.group_id}:{plan.target}"


def parse_forget_value(value: str) -> tuple[int, str]:
    group_id, _, target = value.partition(":")
    return int(group_id), target


def forget_confirmation(plan: ErasurePlan, texts: Texts) -> tuple[str, list[dict[str, Any]]]:
    """The private question before erasing: what goes (counts per kind), what stays, the other groups."""
    counts = [texts.ui(f"forget_count_{k}", n=plan.counts[k]) for k in KINDS if plan.counts.get(k)]
    text = texts.ui("forget_confirm", own=plan.own, user=f"<@{plan.target}>", group=plan.group, counts=counts,
                    owned=plan.counts.get("actions_owned", 0), others=plan.other_groups)
    blocks = sections(text) + [actions(
        button(texts.ui("forget_button", own=plan.own), Act.FORGET_CONFIRM, forget_value(plan), "danger"),
        button(texts.ui("forget_cancel_button"), Act.FORGET_CANCEL, forget_value(plan)))]
    return text, as_dicts(blocks)
