"""Modals: contribute, check in, adopt ground rules, write up the agreement, set up the group."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.snapshots import GroupSnap
from bot.domain.stages import StageKey
from bot.texts import Texts
from handlers.blocks.guardrail import resident_check
from handlers.ids import Field
from handlers.ids import View as ViewId

MAX_INPUT = 3000


def _text_input(field: str, label: str, *, hint: str | None = None, initial: str | None = None,
                multiline: bool = True, optional: bool = False, max_length: int = MAX_INPUT) -> InputBlock:
    element = PlainTextInputElement(action_id=field, multiline=multiline, max_length=max_length,
                                    initial_value=(initial or None) and initial[:max_length])
    return InputBlock(block_id=field, label=PlainTextObject(text=label[:2000]), element=element,
                      hint=PlainTextObject(text=hint[:2000]) if hint else None, optional=optional)


def _modal(callback: ViewId, title: str, submit: str, texts: Texts, blocks: list[Any], meta: dict[str, Any],
           resident_check_box: bool = False) -> dict:
    """`resident_check_box`: the form takes free text that may identify a resident, so it ends with the
    "I've checked" box the author ticks to confirm past the guardrail's inline error (handlers/blocks/guardrail.py)."""
    blocks = [*blocks, resident_check(texts)] if resident_check_box else blocks
    return View(type="modal", callback_id=callback, title=PlainTextObject(text=title[:24]),
                submit=PlainTextObject(text=submit[:24]), close=PlainTextObject(text=texts.ui("cancel")[:24]),
                blocks=blocks, private_metadata=json.dumps(meta)).to_dict()


def contribute_modal(meeting_id: int, stage: str, texts: Texts) -> dict:
    field = _text_input(Field.TEXT, texts.stage(stage, "modal_label"), hint=texts.stage(stage, "modal_hint"))
    return _modal(ViewId.CONTRIBUTE, texts.stage(stage, "modal_title"), texts.ui("submit"), texts, [field],
                  {"meeting_id": meeting_id, "stage": stage}, resident_check_box=True)


def check_in_modal(meeting_id: int, organisation: str | None, texts: Texts) -> dict:
    s = StageKey.CHECK_IN
    blocks = [_text_input(Field.ORGANISATION, texts.ui("check_in_organisation"), initial=organisation,
                          multiline=False, optional=True, max_length=200),
              _text_input(Field.FEELING, texts.stage(s, "modal_label"), hint=texts.stage(s, "modal_hint"),
                          optional=True)]
    return _modal(ViewId.CHECK_IN, texts.stage(s, "modal_title"), texts.ui("submit"), texts, blocks,
                  {"meeting_id": meeting_id, "stage": s.value}, resident_check_box=True)


def rules_modal(meeting_id: int, draft: list[str], version: int, texts: Texts) -> dict:
    initial = _fit("\n".join(draft))
    field = _text_input(Field.TEXT, texts.ui("rules_modal_label"), initial=initial,
                        hint=texts.ui("rules_modal_hint", version=version))
    return _modal(ViewId.ADOPT, texts.ui("rules_modal_title"), texts.ui("adopt"), texts, [field],
                  {"meeting_id": meeting_id, "stage": StageKey.GROUND_RULES.value})


def agreement_modal(meeting_id: int, draft: list[str], version: int, texts: Texts, current: str | None = None) -> dict:
    """Pre-filled with the agreement in force (when amending) or the intro, then the contributions."""
    body = "\n".join(f"• {line}" for line in draft)
    start = current or (texts.ui("agreement_draft_intro") if draft else "")
    initial = _fit("\n".join(part for part in (start, body) if part))
    field = _text_input(Field.TEXT, texts.ui("agreement_modal_label"), initial=initial,
                        hint=texts.ui("agreement_modal_hint", version=version))
    return _modal(ViewId.PUBLISH, texts.ui("agreement_modal_title"), texts.ui("publish"), texts, [field],
                  {"meeting_id": meeting_id, "stage": StageKey.AGREEMENT.value})


def setup_modal(channel_id: str, actor: str, group: GroupSnap | None, texts: Texts) -> dict:
    sets = texts.theme_sets
    options = [Option(value=key, text=ts.name[:75]) for key, ts in sets.items()]
    chosen = group.theme_set if group else "my_home_life"
    chair = next((m.user_id for m in group.members if m.role == "chair"), actor) if group else actor
    co_chairs = [m.user_id for m in group.members if m.role == "co-chair"] if group else []
    blocks = [
        _text_input(Field.NAME, texts.ui("setup_name"), initial=group.name if group else None, multiline=False,
                    max_length=80, hint=texts.ui("setup_name_hint")),
        InputBlock(block_id=Field.THEME_SET, label=PlainTextObject(text=texts.ui("setup_theme_set")),
                   element=StaticSelectElement(action_id=Field.THEME_SET, options=options,
                                               initial_option=next(o for o in options if o.value == chosen))),
        _text_input(Field.TIMEZONE, texts.ui("setup_timezone"), initial=group.timezone if group else "Europe/London",
                    multiline=False, max_length=40, hint=texts.ui("setup_timezone_hint")),
        InputBlock(block_id=Field.CHAIR, label=PlainTextObject(text=texts.ui("setup_chair")),
                   element=UserSelectElement(action_id=Field.CHAIR, initial_user=chair)),
        InputBlock(block_id=Field.CO_CHAIRS, label=PlainTextObject(text=texts.ui("setup_co_chairs")), optional=True,
                   element=UserMultiSelectElement(action_id=Field.CO_CHAIRS, initial_users=co_chairs or None)),
    ]
    return _modal(ViewId.SETUP, texts.ui("setup_modal_title"), texts.ui("submit"), texts, blocks,
                  {"channel_id": channel_id})


def _fit(text: str) -> str:
    """Pre-filled text must fit the input; drop whole lines from the end rather than cut one."""
    while len(text) > MAX_INPUT and "\n" in text:
        text = text.rsplit("\n", 1)[0]
    return text[:MAX_INPUT]
