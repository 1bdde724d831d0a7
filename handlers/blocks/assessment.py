"""The self-assessment on Slack: the form (one section per theme), and the round's DM with its button."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.domain.assessment import MAX_TEXT, AssessmentForm, AssessmentJob, Progress, Scale, parse_scale
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, local_date, sections
from handlers.ids import Act
from handlers.ids import View as ViewId

LEVEL, EVIDENCE, WHO = "assess_level", "assess_evidence", "assess_who"
NAME_WIDTH, HOME_WIDTH = 26, 16


@lru_cache(maxsize=8)
def _raw(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def scale_for(texts: Texts, set_key: str) -> Scale:
    """The themes and levels for a group's theme set (templates/assessment.yml)."""
    return parse_scale(_raw(texts.root / "assessment.yml"), set_key)


def assessment_modal(form: AssessmentForm, texts: Texts) -> dict[str, Any]:
    scale = scale_for(texts, form.set_key)
    blocks: list[dict[str, Any]] = [
        _section(texts.ui("assess_intro", home=form.home, group=form.group)),
        _context(texts.ui("assess_privacy")),
    ]
    if form.last_completed:
        blocks.append(_context(texts.ui("assess_last", when=local_date(form.last_completed, form.timezone))))
    for i, (name, levels) in enumerate(scale.themes):
        given = form.answers.get(name) or {}
        blocks += [{"type": "header", "text": {"type": "plain_text", "text": name[:150]}},
                   _context(texts.ui("assess_levels", levels=[lv.detail for lv in levels])),
                   _radio(texts, i, [lv.label for lv in levels], given.get("level")),
                   _text(f"{EVIDENCE}_{i}", scale.evidence, given.get("evidence")),
                   _text(f"{WHO}_{i}", scale.who, given.get("who"))]
    return {"type": "modal", "callback_id": ViewId.ASSESS, "title": _plain(texts.ui("assess_modal_title")),
            "submit": _plain(texts.ui("assess_submit")), "close": _plain("Close"),
            "private_metadata": json.dumps({"group_id": form.group_id, "round_id": form.round_id}),
            "blocks": blocks}


def answers_from(view: dict[str, Any], texts: Texts, set_key: str) -> dict[str, dict[str, Any]]:
    """The form's state as {theme: {"level", "evidence", "who"}}."""
    state = view["state"]["values"]

    def value(block: str) -> Any:
        element: dict[str, Any] = next(iter((state.get(block) or {}).values()), {})
        if element.get("type") == "radio_buttons":
            return (element.get("selected_option") or {}).get("value")
        return element.get("value")

    return {name: {"level": value(f"{LEVEL}_{i}"), "evidence": value(f"{EVIDENCE}_{i}") or "",
                   "who": value(f"{WHO}_{i}") or ""}
            for i, name in enumerate(scale_for(texts, set_key).names)}


def invite_message(job: AssessmentJob, texts: Texts) -> dict[str, Any]:
    """The round's DM (or its reminder), with the button that opens the form."""
    text = texts.ui("assess_reminder" if job.kind.endswith("reminder") else "assess_invite", group=job.group)
    blocks = [*sections(text), actions(button(texts.ui("assess_button"), Act.ASSESS_OPEN,
                                              f"{job.group_id}:{job.round_id}", "primary"))]
    # Lets a later run find a message Slack accepted just before a crash (see handlers/jobs.py).
    return {"text": text, "blocks": as_dicts(blocks),
            "metadata": {"event_type": "assessment_delivery", "event_payload": {"delivery": job.id}}}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:24]}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _radio(texts: Texts, i: int, labels: list[str], level: Any) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": texts.ui("assess_level_option", n=n, label=label)[:75]},
                "value": str(n)} for n, label in enumerate(labels, start=1)]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "level", "options": options}
    if level:
        element["initial_option"] = options[int(level) - 1]
    return {"type": "input", "block_id": f"{LEVEL}_{i}", "optional": True,
            "label": {"type": "plain_text", "text": texts.ui("assess_level_label")}, "element": element}


def _text(block_id: str, label: str, value: Any) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "text", "multiline": True,
                               "max_length": MAX_TEXT}
    if value:
        element["initial_value"] = str(value)
    return {"type": "input", "block_id": block_id, "optional": True,
            "label": {"type": "plain_text", "text": label[:2000]}, "element": element}


def progress_table(p: Progress, texts: Texts) -> str:
    """Per theme: each home's levels over time (2 → 3) and, for the group, how many homes at each level."""
    if not p.assessments:
        return texts.ui("progress_none", group=p.group)
    homes: dict[str, list[tuple[date, tuple[int | None, ...]]]] = defaultdict(list)
    for h in p.assessments:
        homes[h.home].append((h.on, h.levels))
    names = list(homes)
    head = "Theme".ljust(NAME_WIDTH) + "".join(n[:HOME_WIDTH - 1].ljust(HOME_WIDTH) for n in names)
    if p.whole_group:
        head += "Homes at 1/2/3/4"
    lines = [head]
    for t, theme in enumerate(p.themes):
        cells = ["→".join(str(levels[t] or "-") for _, levels in homes[n]).ljust(HOME_WIDTH) for n in names]
        row = theme[:NAME_WIDTH - 1].ljust(NAME_WIDTH) + "".join(cells)
        if p.whole_group:
            row += "/".join(str(c) for c in p.spread[t])
        lines.append(row.rstrip())
    dates = ", ".join(f"{n}: " + " → ".join(on.strftime("%-d %b %Y") for on, _ in homes[n]) for n in names)
    return texts.ui("progress_table", group=p.group, table="\n".join(lines), dates=dates)
