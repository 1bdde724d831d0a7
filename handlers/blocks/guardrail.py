"""Block Kit for the resident-data guardrail: the author's private warning with its buttons, the Edit
form, the forms' "I've checked" box and their inline error. None of it ever quotes what was written,
except the Edit form, which only its author opens."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from slack_sdk.models.blocks import CheckboxesElement, InputBlock, Option, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View

from bot.domain.guardrail import scan
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, context, sections
from handlers.ids import Act, Field
from handlers.ids import View as ViewId

CHECKED = "checked"
MAX_INPUT = 3000  # as the other forms (handlers/blocks/modals.py)
BUTTON_VALUE_LIMIT = 2000


def kinds_words(kinds: Iterable[str], texts: Texts) -> str:
    """'an NHS number and a date of birth': the kinds found, in a fixed order, in words."""
    words = [texts.ui(f"guardrail_kind_{k}") for k in sorted(kinds)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def held_reply_message(contribution_id: int, kinds: Iterable[str], texts: Texts) -> tuple[str, list[dict[str, Any]]]:
    """The ephemeral the author of a held thread reply gets, with Edit / Keep as written / Remove."""
    text = texts.ui("guardrail_reply_held", kinds=kinds_words(kinds, texts))
    value = str(contribution_id)
    row = actions(button(texts.ui("guardrail_edit_button"), Act.GUARD_EDIT, value, "primary"),
                  button(texts.ui("guardrail_keep_button"), Act.GUARD_KEEP, value),
                  button(texts.ui("guardrail_remove_button"), Act.GUARD_REMOVE, value, "danger"),
                  block_id=f"guardrail:{contribution_id}")
    return text, as_dicts([*sections(text), context(texts.ui("guardrail_reply_choices")), row])


def edit_reply_modal(contribution_id: int, text: str, texts: Texts, channel_id: str | None = None) -> dict:
    """The author's own held reply, pre-filled; saving checks it again (`channel_id`: where to thank them)."""
    field = InputBlock(block_id=Field.TEXT, label=texts.ui("guardrail_edit_modal_label"),
                       hint=PlainTextObject(text=texts.ui("guardrail_edit_modal_hint")[:2000]),
                       element=PlainTextInputElement(action_id=Field.TEXT, multiline=True, max_length=MAX_INPUT,
                                                     initial_value=text[:MAX_INPUT] or None))
    return View(type="modal", callback_id=ViewId.GUARD_EDIT,
                title=PlainTextObject(text=texts.ui("guardrail_edit_modal_title")[:24]),
                submit=PlainTextObject(text=texts.ui("guardrail_save")[:24]),
                close=PlainTextObject(text=texts.ui("cancel")[:24]), blocks=[field, resident_check(texts)],
                private_metadata=json.dumps({"contribution_id": contribution_id, "channel_id": channel_id})).to_dict()


def resident_check(texts: Texts) -> InputBlock:
    """The optional box a form's author ticks to confirm past the warning (honoured only when warned)."""
    option = Option(value=CHECKED, text=PlainTextObject(text=texts.ui("guardrail_check_option")[:75]))
    return InputBlock(block_id=Field.RESIDENT_CHECK, optional=True, label=texts.ui("guardrail_check_label"),
                      hint=PlainTextObject(text=texts.ui("guardrail_check_hint")[:2000]),
                      element=CheckboxesElement(action_id=Field.RESIDENT_CHECK, options=[option]))


def confirmed(values: Mapping[str, Any]) -> bool:
    return CHECKED in (values.get(Field.RESIDENT_CHECK) or [])


def form_errors(texts: Texts, values: Mapping[str, Any], fields: Iterable[str]) -> dict[str, str] | None:
    """The inline error for a form whose free text may identify a resident, on the first such field;
    None when nothing was found or the author ticked "I've checked"."""
    if confirmed(values):
        return None
    for field in fields:
        kinds = scan(str(values.get(field) or ""))
        if kinds:
            return {field: texts.ui("guardrail_form_error", kinds=kinds_words(kinds, texts))[:2000]}
    return None


def command_warning(texts: Texts, kinds: Iterable[str], keep_action: str, keep_value: dict[str, Any],
                    form: str) -> tuple[str, list[dict[str, Any]]]:
    """The ephemeral before a command's text is stored: Keep as written (replays it, confirmed) or Cancel."""
    value = json.dumps(keep_value)
    words = kinds_words(kinds, texts)
    if len(value) > BUTTON_VALUE_LIMIT:  # too long to carry in a button: the form can confirm it instead
        text = texts.ui("guardrail_command_too_long", kinds=words, form=form)
        return text, as_dicts(sections(text))
    text = texts.ui("guardrail_command_warning", kinds=words)
    row = actions(button(texts.ui("guardrail_keep_button"), keep_action, value, "primary"),
                  button(texts.ui("guardrail_cancel_button"), Act.GUARD_CANCEL, "cancel"), block_id="guardrail-command")
    return text, as_dicts([*sections(text), row])
