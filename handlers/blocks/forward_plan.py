"""The forward plan on Slack: "Take the challenge" (the form), and the 3-month check (the DM and its form)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.domain.assessment import MAX_TEXT, PLAN_QUESTIONS, PLAN_REQUIRED, SEEN, PlanCheckJob, PlanForm
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, sections
from handlers.ids import Act
from handlers.ids import View as ViewId

THEME, ADD, OWNER, DUE, SEEN_BLOCK, NOTE = "plan_theme", "plan_add_action", "plan_owner", "plan_due", "plan_seen", \
    "plan_note"


@lru_cache(maxsize=8)
def _questions(path: Path) -> dict[str, str]:
    return {k: str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8"))["plan"].items()}


def questions(texts: Texts) -> dict[str, str]:
    return _questions(texts.root / "assessment.yml")


def challenge_button(texts: Texts, assessment_id: int) -> dict[str, Any]:
    return as_dicts([actions(button(texts.ui("assess_challenge_button"), Act.PLAN_OPEN, str(assessment_id)))])[0]


def plan_modal(form: PlanForm, texts: Texts) -> dict[str, Any]:
    options = [{"text": _plain(texts.ui("plan_theme_option", name=name, level=level), 75), "value": name}
               for name, level in form.themes]
    lowest = min(range(len(form.themes)), key=lambda i: form.themes[i][1] or 5)
    words = questions(texts)
    blocks: list[dict[str, Any]] = [
        _section(texts.ui("plan_intro", home=form.home, group=form.group)),
        _context(texts.ui("plan_privacy")),
        _input(THEME, texts.ui("plan_theme_label"), {"type": "static_select", "action_id": "theme",
                                                     "options": options, "initial_option": options[lowest]}),
        *[_input(f"plan_{key}", words[key], {"type": "plain_text_input", "action_id": "text", "multiline": True,
                                             "max_length": MAX_TEXT}, optional=key not in PLAN_REQUIRED)
          for key in PLAN_QUESTIONS],
        _input(ADD, texts.ui("plan_add_label"), {"type": "checkboxes", "action_id": "add",
                          "options": [{"text": _plain(texts.ui("plan_add_action")), "value": "yes"}]}, optional=True),
        _input(OWNER, texts.ui("plan_owner_label"), {"type": "users_select", "action_id": "owner",
                                                     "initial_user": form.user_id}, optional=True),
        _input(DUE, texts.ui("plan_due_label"), {"type": "datepicker", "action_id": "due"}, optional=True),
    ]
    return {"type": "modal", "callback_id": ViewId.PLAN, "title": _plain(texts.ui("plan_modal_title"), 24),
            "submit": _plain(texts.ui("plan_submit"), 24), "close": _plain("Close", 24),
            "private_metadata": json.dumps({"assessment_id": form.assessment_id}), "blocks": blocks}


def plan_values(view: dict[str, Any]) -> dict[str, Any]:
    """{theme, answers: {key: text}, add: bool, owner, due (ISO or None)} from the submitted form."""
    state = view["state"]["values"]

    def element(block: str) -> dict[str, Any]:
        found: dict[str, Any] = next(iter((state.get(block) or {}).values()), {})
        return found

    return {"theme": (element(THEME).get("selected_option") or {}).get("value") or "",
            "answers": {k: element(f"plan_{k}").get("value") or "" for k in PLAN_QUESTIONS},
            "add": bool(element(ADD).get("selected_options")), "owner": element(OWNER).get("selected_user"),
            "due": element(DUE).get("selected_date")}


def check_message(job: PlanCheckJob, texts: Texts) -> dict[str, Any]:
    text = texts.ui("plan_check_dm", theme=job.theme, group=job.group, expected=job.expected)
    blocks = [*sections(text), actions(button(texts.ui("plan_check_button"), Act.PLAN_CHECK_OPEN, str(job.plan_id),
                                              "primary"))]
    # Lets a later run find a message Slack accepted just before a crash (see handlers/jobs.py).
    return {"text": text, "blocks": as_dicts(blocks),
            "metadata": {"event_type": "plan_check_delivery", "event_payload": {"delivery": job.id}}}


def check_modal(plan_id: int, texts: Texts) -> dict[str, Any]:
    options = [{"text": _plain(texts.ui(f"plan_check_{s}")), "value": s} for s in SEEN]
    return {"type": "modal", "callback_id": ViewId.PLAN_CHECK, "title": _plain(texts.ui("plan_check_title"), 24),
            "submit": _plain("Save", 24), "close": _plain("Close", 24),
            "private_metadata": json.dumps({"plan_id": plan_id}),
            "blocks": [_context(texts.ui("plan_check_privacy")),
                       _input(SEEN_BLOCK, texts.ui("plan_check_seen_label"),
                              {"type": "radio_buttons", "action_id": "seen", "options": options}),
                       _input(NOTE, texts.ui("plan_check_note_label"),
                              {"type": "plain_text_input", "action_id": "text", "multiline": True,
                               "max_length": MAX_TEXT}, optional=True)]}


def check_values(view: dict[str, Any]) -> tuple[str, str]:
    state = view["state"]["values"]
    seen: dict[str, Any] = next(iter((state.get(SEEN_BLOCK) or {}).values()), {})
    note: dict[str, Any] = next(iter((state.get(NOTE) or {}).values()), {})
    return str((seen.get("selected_option") or {}).get("value") or ""), str(note.get("value") or "")


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit]}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "optional": optional, "label": _plain(label, 2000),
            "element": element}
