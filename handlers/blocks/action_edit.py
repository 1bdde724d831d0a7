"""The action edit form, an action's history (reports and edits together), its detail, and the agency view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    UserMultiSelectElement,
    UserSelectElement,
)

from bot.domain.snapshots import ActionSnap, EditSnap, GroupSnap, UpdateSnap
from bot.domain.when import format_day
from bot.services.action_edits import EditForm, shown_target
from bot.services.action_plan import ByAgency
from bot.texts import Texts, slack_escape
from handlers.blocks.common import as_dicts, header, local_date, sections
from handlers.blocks.modals import _modal, _text_input
from handlers.ids import Field
from handlers.ids import View as ViewId

Message = tuple[str, list[dict[str, Any]]]
PEOPLE = ("owner", "volunteer", "responsible")  # fields whose values are Slack ids, shown as mentions
MAX_LINES = 40  # an agency view longer than this points to the export


def edit_modal(form: EditForm, texts: Texts, from_view: str | None = None) -> dict:
    """Pre-filled with the action as it is; `from_view` is the Report back form it was opened from."""
    a, t = form.action, texts.ui
    target = shown_target(a)
    day = format_day(a.due_date) if a.due_date else None
    now = t("edit_current_target", target=slack_escape(a.target_text) if a.target_text else (day or "-"),
            day=day if a.target_text else None)
    absent = Option(value="absent", text=t("action_agency_absent"))
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=t("edit_privacy"))]),
        ContextBlock(elements=[MarkdownTextObject(text=f"*{a.ref}* · {now}"[:2000])]),
        _text_input(Field.DESCRIPTION, t("action_description"), initial=a.description, max_length=500),
        _text_input(Field.OBJECTIVE, t("edit_objective"), initial=a.objective or a.theme, optional=True,
                    multiline=False, max_length=1000, hint=t("edit_objective_hint")),
        _text_input(Field.AGENCY, t("edit_agency"), initial=a.agency, multiline=False, optional=True, max_length=200),
        InputBlock(block_id=Field.AGENCY_ABSENT, label=PlainTextObject(text=t("action_agency_absent_label")),
                   optional=True, element=CheckboxesElement(action_id=Field.AGENCY_ABSENT, options=[absent],
                                                            initial_options=None if a.agency_in_group else [absent])),
        InputBlock(block_id=Field.VOLUNTEER, label=PlainTextObject(text=t("action_volunteer")), optional=True,
                   element=UserSelectElement(action_id=Field.VOLUNTEER, initial_user=a.volunteer_id)),
        InputBlock(block_id=Field.OWNER, label=PlainTextObject(text=t("action_owner")),
                   element=UserSelectElement(action_id=Field.OWNER, initial_user=a.owner_id)),
        InputBlock(block_id=Field.RESPONSIBLE_USERS, label=PlainTextObject(text=t("edit_responsible_users")),
                   optional=True, element=UserMultiSelectElement(
                       action_id=Field.RESPONSIBLE_USERS, max_selected_items=10,
                       initial_users=list(a.responsible_users) or None)),
        _text_input(Field.RESPONSIBLE_TEXT, t("edit_responsible_text"), initial=a.responsible_text, optional=True,
                    multiline=False, max_length=1000, hint=t("edit_responsible_text_hint")),
        _text_input(Field.PREREQUISITES, t("action_prerequisites"), initial=a.prerequisites, optional=True,
                    max_length=1000),
        _text_input(Field.TARGET, t("edit_target"), initial=target, optional=True, multiline=False, max_length=200,
                    hint=t("edit_target_hint")),
        _text_input(Field.MILESTONE, t("edit_milestone"), initial=a.milestone, optional=True, max_length=1000),
        *sections(history_text(form, texts))[:2],
    ]
    return _modal(ViewId.EDIT_ACTION, t("edit_modal_title"), t("edit_submit"), texts, blocks,
                  {"action_id": a.id, "from_view": from_view}, resident_check_box=True)


def history_text(form: EditForm, texts: Texts) -> str:
    """Reports back and edits in the order they happened (the newest 15), under the form's History heading."""
    lines = history_lines(form.group, form.updates, form.edits, texts)[-15:]
    return "\n".join([texts.ui("report_history_heading"), *(lines or [texts.ui("report_no_history")])])


def history_lines(group: GroupSnap, updates: tuple[UpdateSnap, ...], edits: tuple[EditSnap, ...],
                  texts: Texts) -> list[str]:
    dated: list[tuple[datetime, int, str]] = []
    for u in updates:
        note = slack_escape(u.note or "") or None
        dated.append((u.at, 0, texts.ui("report_history_line", date=local_date(u.at, group.timezone),
                                        who=group.name_of(u.author), old=texts.ui(f"status_{u.old_status}"),
                                        new=texts.ui(f"status_{u.new_status}"), note=note)))
    for e in edits:
        changes = "; ".join(_change(field, before, after, group, texts) for field, before, after in e.changes
                            if field != "status")  # a status change is already the report's line
        dated.append((e.at, 1, texts.ui("history_edit_line", date=local_date(e.at, group.timezone),
                                        who=group.name_of(e.author), verb=texts.ui(f"edit_verb_{e.kind}"),
                                        changes=changes)))
    return [line for _, _, line in sorted(dated, key=lambda d: (d[0], d[1]))]


def _change(field: str, before: str | None, after: str | None, group: GroupSnap, texts: Texts) -> str:
    def shown(value: str | None) -> str | None:
        if value is None:
            return None
        if field in PEOPLE:
            return ", ".join(group.name_of(u) for u in value.split())
        return f'"{slack_escape(value[:120])}"'
    return texts.ui("history_change", field=texts.ui(f"field_{field}"), before=shown(before), after=shown(after))


def changed_fields(edit: EditSnap, texts: Texts) -> str:
    return ", ".join(texts.ui(f"field_{f}") for f, _, _ in edit.changes if f != "reminder_date")


def detail_message(form: EditForm, texts: Texts, merged_into: str | None) -> Message:
    a, g = form.action, form.group
    top = texts.ui("detail_header", ref=a.ref, description=a.description)
    body = texts.ui(
        "detail_lines", objective=slack_escape(a.objective or a.theme or "") or None,
        agency=slack_escape(a.agency or "") or None, waiting=bool(a.agency) and not a.agency_in_group,
        volunteer=g.name_of(a.volunteer_id) if a.volunteer_id else None, owner=g.name_of(a.owner_id),
        responsible=", ".join([*(g.name_of(u) for u in a.responsible_users),
                               *([slack_escape(a.responsible_text)] if a.responsible_text else [])]) or None,
        target=slack_escape(a.target_text) if a.target_text else (format_day(a.due_date) if a.due_date else None),
        day=format_day(a.due_date) if a.due_date else None, status=texts.ui(f"status_{a.status}"),
        merged=texts.ui("merged_label", into=merged_into) if merged_into else None,
        prerequisites=slack_escape(a.prerequisites or "") or None, milestone=slack_escape(a.milestone or "") or None)
    blocks: list[Block] = [header(top[:150]), *sections(body)[:2], *sections(history_text(form, texts))[:3],
                           ContextBlock(elements=[MarkdownTextObject(text=texts.ui("detail_privacy"))])]
    return slack_escape(top), as_dicts(blocks)


def agency_message(by: ByAgency, texts: Texts) -> Message:
    if not by.agencies:
        return texts.ui("by_agency_none"), as_dicts(sections(texts.ui("by_agency_none")))
    g, t = by.group, texts.ui
    top = t("by_agency_header", group=g.name)
    lines: list[str] = []
    for agency in by.agencies:
        lines.append(t("by_agency_heading", agency=slack_escape(agency.agency) if agency.agency else
                       t("by_agency_no_agency"), in_group=agency.in_group or agency.agency is None,
                       open=agency.open, overdue=agency.overdue, done=agency.done))
        lines += [_line(a, g, a.id in agency.overdue_ids, texts) for a in agency.actions]
    if by.waiting:
        lines.append(t("by_agency_waiting_heading"))
        lines += [t("by_agency_waiting_line", ref=w.action.ref, agency=slack_escape(w.action.agency or ""),
                    volunteer=g.name_of(w.volunteer_id) if w.volunteer_id else None, joined=w.joined)
                  for w in by.waiting]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], t("by_agency_more", n=len(lines) - MAX_LINES)]
    return slack_escape(top), as_dicts([header(top[:150]), *sections("\n".join(lines))[:45]])


def _line(a: ActionSnap, g: GroupSnap, late: bool, texts: Texts) -> str:
    target = slack_escape(a.target_text) if a.target_text else (format_day(a.due_date) if a.due_date else None)
    return texts.ui("by_agency_line", ref=a.ref, description=slack_escape(a.description[:200]),
                    owner=g.name_of(a.owner_id), target=target, status=texts.ui(f"status_{a.status}"), late=late)
