"""Modals of the later stages: a theme answer, feedback, and adding an action."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)

from bot.domain.stages import StageKey
from bot.texts import Texts, slack_escape
from handlers.blocks.modals import _modal, _text_input
from handlers.ids import Field
from handlers.ids import View as ViewId


def theme_answer_modal(meeting_id: int, theme: str, question: str, question_text: str, texts: Texts) -> dict:
    field = _text_input(Field.TEXT, question_text, hint=texts.stage("themes", "modal_hint"))
    title = texts.stage("themes", "modal_title")
    return _modal(ViewId.CONTRIBUTE, title, texts.ui("submit"), texts,
                  [ContextBlock(elements=[MarkdownTextObject(text=f"*{slack_escape(theme)}*")]), field],
                  {"meeting_id": meeting_id, "stage": StageKey.THEMES.value, "theme": theme, "question": question},
                  resident_check_box=True)


def feedback_modal(meeting_id: int, texts: Texts, named: bool = False) -> dict:
    """`named`: the group shows names beside feedback in the minutes (the hint says which)."""
    s = StageKey.FEEDBACK
    ratings = [Option(value=str(n), text=texts.ui(f"rating_{n}")) for n in range(5, 0, -1)]
    blocks = [
        _text_input(Field.TEXT, texts.stage(s, "modal_label"), hint=texts.stage(s, "modal_hint", named=named),
                    optional=True),
        _text_input(Field.TAKEAWAY, texts.ui("feedback_takeaway"), hint=texts.ui("feedback_takeaway_hint"),
                    optional=True),
        InputBlock(block_id=Field.RATING, label=PlainTextObject(text=texts.ui("feedback_rating")), optional=True,
                   element=StaticSelectElement(action_id=Field.RATING, options=ratings)),
    ]
    return _modal(ViewId.FEEDBACK, texts.stage(s, "modal_title"), texts.ui("submit"), texts, blocks,
                  {"meeting_id": meeting_id, "stage": s.value}, resident_check_box=True)


def add_action_modal(channel_id: str, themes: list[str], organisations: list[str], texts: Texts,
                     initial: dict[str, Any] | None = None, confirmed: list[str] | None = None,
                     warning: str | None = None) -> dict:
    """The form behind "Add an action"; `initial` refills it when it comes back with a question."""
    v = initial or {}
    theme_options = [Option(value=t[:150], text=t[:75]) for t in themes[:100]]
    chosen_theme = next((o for o in theme_options if o.value == v.get(Field.THEME)), None)
    orgs = ", ".join(organisations[:15])
    blocks: list[Any] = [ContextBlock(elements=[MarkdownTextObject(text=f":warning: {warning}")])] if warning else []
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.ui("action_privacy"))]))
    blocks += [
        _text_input(Field.DESCRIPTION, texts.ui("action_description"), initial=v.get(Field.DESCRIPTION),
                    max_length=500, hint=texts.ui("action_description_hint")),
        InputBlock(block_id=Field.OWNER, label=PlainTextObject(text=texts.ui("action_owner")),
                   element=UserSelectElement(action_id=Field.OWNER, initial_user=v.get(Field.OWNER))),
        _text_input(Field.AGENCY, texts.ui("action_agency"), initial=v.get(Field.AGENCY), multiline=False,
                    optional=True, max_length=200,
                    hint=texts.ui("action_agency_hint", organisations=orgs) if orgs else None),
        InputBlock(block_id=Field.DUE, label=PlainTextObject(text=texts.ui("action_due")), optional=True,
                   element=DatePickerElement(action_id=Field.DUE, initial_date=v.get(Field.DUE))),
        _text_input(Field.PREREQUISITES, texts.ui("action_prerequisites"), initial=v.get(Field.PREREQUISITES),
                    optional=True, max_length=1000),
        _absent_agency(texts, bool(v.get(Field.AGENCY_ABSENT))),
        InputBlock(block_id=Field.VOLUNTEER, label=PlainTextObject(text=texts.ui("action_volunteer")),
                   optional=True, hint=PlainTextObject(text=texts.ui("action_volunteer_hint")),
                   element=UserSelectElement(action_id=Field.VOLUNTEER, initial_user=v.get(Field.VOLUNTEER))),
    ]
    if theme_options:
        blocks.insert(len(blocks) - 6, InputBlock(
            block_id=Field.THEME, label=PlainTextObject(text=texts.ui("action_theme")), optional=True,
            element=StaticSelectElement(action_id=Field.THEME, options=theme_options, initial_option=chosen_theme)))
    return _modal(ViewId.ADD_ACTION, texts.ui("action_modal_title"), texts.ui("action_add"), texts, blocks,
                  {"channel_id": channel_id, "confirmed": confirmed or [], "themes": themes[:100]},
                  resident_check_box=True)


def _absent_agency(texts: Texts, ticked: bool) -> InputBlock:
    option = Option(value="absent", text=texts.ui("action_agency_absent"))
    return InputBlock(block_id=Field.AGENCY_ABSENT, label=PlainTextObject(text=texts.ui("action_agency_absent_label")),
                      optional=True, element=CheckboxesElement(action_id=Field.AGENCY_ABSENT, options=[option],
                                                               initial_options=[option] if ticked else None))
