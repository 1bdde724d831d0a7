"""Action lists (mine, the group's by theme and status) and the Report back form."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
)

from bot.domain.action_status import Status
from bot.domain.snapshots import ActionSnap, EditSnap, GroupSnap, UpdateSnap
from bot.domain.when import format_day
from bot.services.reports import MyAction
from bot.texts import Texts, slack_escape
from handlers.blocks.action_edit import history_lines
from handlers.blocks.common import actions, as_dicts, button, header, sections
from handlers.blocks.modals import _modal, _text_input
from handlers.ids import Act, Field
from handlers.ids import View as ViewId

Message = tuple[str, list[dict[str, Any]]]


def my_actions_message(items: tuple[MyAction, ...], texts: Texts) -> Message:
    if not items:
        return texts.ui("my_actions_none"), as_dicts(sections(texts.ui("my_actions_none")))
    top = texts.ui("my_actions_header", n=len(items))
    blocks: list[Block] = [header(top)]
    for item in items[:23]:  # two blocks each, under Slack's 50
        a = item.action
        line = texts.ui("my_action_line", ref=a.ref, description=slack_escape(a.description),
                        group=slack_escape(item.group), agency=slack_escape(a.agency or "") or None,
                        due=format_day(a.due_date) if a.due_date else None, overdue=item.overdue,
                        status=texts.ui(f"status_{a.status}"))
        blocks += sections(line)[:1]
        blocks.append(actions(button(texts.ui("report_button"), Act.REPORT_OPEN, str(a.id)), block_id=f"r:{a.id}"))
    return top, as_dicts(blocks)


def group_actions_message(group: GroupSnap, items: tuple[ActionSnap, ...], texts: Texts) -> Message:
    if not items:
        return texts.ui("all_actions_none"), as_dicts(sections(texts.ui("all_actions_none")))
    top = texts.ui("all_actions_header", group=group.name, n=len(items))
    order = list(Status)
    by_theme: dict[str | None, list[ActionSnap]] = {}
    for a in sorted(items, key=lambda a: (order.index(Status(a.status)), a.number)):
        by_theme.setdefault(a.theme, []).append(a)
    lines = []
    for theme, group_items in sorted(by_theme.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        lines.append(texts.ui("all_theme_heading", theme=slack_escape(theme)) if theme else texts.ui("all_no_theme"))
        lines += [texts.ui("all_action_line", ref=a.ref, description=slack_escape(a.description),
                           owner=group.name_of(a.owner_id), due=format_day(a.due_date) if a.due_date else None,
                           status=texts.ui(f"status_{a.status}")) for a in group_items]
    return slack_escape(top), as_dicts([header(top), *sections("\n".join(lines))])  # the header is plain text


def report_modal(action: ActionSnap, group: GroupSnap, history: tuple[UpdateSnap, ...], texts: Texts,
                 edits: tuple[EditSnap, ...] = ()) -> dict:
    options = [Option(value=s.value, text=texts.ui(f"status_{s.value}")) for s in Status]
    current = next(o for o in options if o.value == action.status)
    lines = history_lines(group, history, edits, texts)[-10:]  # reports back and edits (action_edit.py)
    history_text = "\n".join([texts.ui("report_history_heading"), *(lines or [texts.ui("report_no_history")])])
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=f"*{action.ref}* {slack_escape(action.description)}"[:2000])]),
        InputBlock(block_id=Field.STATUS, label=PlainTextObject(text=texts.ui("report_status")),
                   element=StaticSelectElement(action_id=Field.STATUS, options=options, initial_option=current)),
        _text_input(Field.NOTE, texts.ui("report_note"), hint=texts.ui("report_note_hint"), optional=True),
        InputBlock(block_id=Field.DUE, label=PlainTextObject(text=texts.ui("report_due")), optional=True,
                   element=DatePickerElement(action_id=Field.DUE)),
        *sections(history_text)[:3],
        actions(button(texts.ui("edit_button"), Act.EDIT_OPEN, str(action.id)), block_id="edit-action"),
    ]
    return _modal(ViewId.REPORT, texts.ui("report_modal_title"), texts.ui("report_submit"), texts, blocks,
                  {"action_id": action.id}, resident_check_box=True)
