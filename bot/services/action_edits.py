"""Keeping an action up to date: the owner or a chair edits its plan, and every change is kept as history.

Real plans change as the work goes on: wording, the lead organisation, who is responsible (people, an
organisation, a post not yet filled), prerequisites, the target as written ("by end of July"), the year-1
milestone. A reassignment tells the old and the new owner (the caller sends the DMs from `Edited`).
Merging and dropping live in bot/services/action_merges.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError, NotAllowed
from bot.domain.roles import Role
from bot.domain.snapshots import ActionSnap, EditSnap, GroupSnap, UpdateSnap
from bot.domain.targets import read_target
from bot.domain.when import format_day, is_past
from bot.services.common import Reader, check_reader, ensure_member, group_snap
from bot.services.reports import find_action
from bot.services.stage_state import action_snap, update_snap
from storage.models import Action, ActionEdit, Group
from storage.uow import UnitOfWork

MAX_DESCRIPTION = 500
MAX_AGENCY = 200
MAX_TEXT = 1000
MAX_RESPONSIBLE = 10


@dataclass(frozen=True)
class PlanEdit:
    """The edit form as submitted: every field, pre-filled with what the action had (blank clears it)."""

    description: str
    owner_id: str
    objective: str | None = None
    agency: str | None = None
    agency_in_group: bool = True
    volunteer_id: str | None = None
    responsible_users: tuple[str, ...] = ()
    responsible_text: str | None = None
    prerequisites: str | None = None
    target: str | None = None  # as written; read by bot/domain/targets.py
    milestone: str | None = None


@dataclass(frozen=True)
class EditForm:
    """What the edit form and the Report back form show: the action, its group and its whole history."""

    action: ActionSnap
    group: GroupSnap
    updates: tuple[UpdateSnap, ...]
    edits: tuple[EditSnap, ...]
    merged_into: str | None = None  # "A-7" when this action was merged into another


@dataclass(frozen=True)
class Edited:
    action: ActionSnap
    group: GroupSnap
    edit: EditSnap | None  # None: nothing had changed, nothing was written
    old_owner: str | None  # set when the action was reassigned
    past_target: bool = False


def open_edit(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, ref: str = "",
              action_id: int | None = None, what: str = "action.edit") -> EditForm:
    """The action and its history for the edit or Report back form: its owner or a chair only (a refusal is
    audited as `what`)."""
    with uow:
        action, group = find_action(uow, team_id, channel_id, actor, ref, action_id)
        may_change(uow, group, action, actor, clock.now(), what)
        return history(uow, group, action)


def action_detail(uow: UnitOfWork, *, team_id: str, channel_id: str, ref: str, reader: Reader) -> EditForm:
    """`/actions show A-12`: the action and its whole history, for members of its group."""
    with uow:
        action, group = find_action(uow, team_id, channel_id, reader.user_id, ref, None)
        check_reader(uow, group, reader)
        return history(uow, group, action)


def history(uow: UnitOfWork, group: Group, action: Action) -> EditForm:
    into = uow.actions.get(action.merged_into) if action.merged_into else None
    return EditForm(action_snap(action), group_snap(uow, group),
                    tuple(update_snap(u) for u in uow.actions.updates(action.id)),
                    tuple(edit_snap(e) for e in uow.actions.edits(action.id)),
                    f"A-{into.number}" if into else None)


def edit_action(uow: UnitOfWork, clock: Clock, *, action_id: int, actor: str, plan: PlanEdit,
                request_key: str) -> Edited:
    """Apply the form: only what differs is written, as one history entry (what changed, by whom, when)."""
    now = clock.now()
    plan = _checked(plan)
    with uow:
        action, group = find_action(uow, "", "", actor, "", action_id)
        may_change(uow, group, action, actor, now, "action.edit")
        if uow.actions.edit_by_request(request_key) is not None:  # the same form submitted twice
            return Edited(action_snap(action), group_snap(uow, group), None, None)
        if action.merged_into is not None:
            raise DomainError("action_merged_already", ref=f"A-{action.number}")
        before = _fields(action)
        target_day = _apply(action, plan, group, now)
        after = _fields(action)
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if not changes:
            return Edited(action_snap(action), group_snap(uow, group), None, None)
        for user in {plan.owner_id, plan.volunteer_id, *plan.responsible_users} - {None}:
            ensure_member(uow, group, str(user), now)
        row = ActionEdit(action_id=action.id, author=actor, kind="edit", changes=changes, request_key=request_key,
                         at=now)
        if not uow.actions.add_unique(row):
            uow.rollback()
            raise DomainError("duplicate_request")
        uow.audit.record(now, actor, "action.edit", "ok", group.id, ref=f"A-{action.number}",
                         fields=sorted(changes))
        uow.commit()
        old_owner = before["owner"] if "owner" in changes else None
        past = target_day is not None and is_past(target_day, group.timezone, now)
        return Edited(action_snap(action), group_snap(uow, group), edit_snap(row), old_owner, past)


def may_change(uow: UnitOfWork, group: Group, action: Action, actor: str, now: datetime, what: str) -> None:
    """The owner or a chair/co-chair; anyone else is told whose action it is, and the refusal audited."""
    member = uow.groups.member(group.id, actor)
    if actor == action.owner_id or (member is not None and Role(member.role).runs_meetings):
        return
    uow.audit.record(now, actor, what, "refused", group.id, ref=f"A-{action.number}")
    uow.commit()
    raise NotAllowed("not_action_owner_edit", ref=f"A-{action.number}", owner=action.owner_id)


def edit_snap(e: ActionEdit) -> EditSnap:
    changes = tuple((k, _text(v[0]), _text(v[1])) for k, v in (e.changes or {}).items())
    return EditSnap(e.author, e.kind, changes, e.at)


def _text(value: Any) -> str | None:
    """A recorded value as plain text; people stay Slack ids (space-separated) for the builder to mention."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(value) if isinstance(value, list) else str(value)


def _checked(plan: PlanEdit) -> PlanEdit:
    description = " ".join(plan.description.split())
    if not description:
        raise BadInput("action_no_description", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise BadInput("action_description_long", length=len(description), limit=MAX_DESCRIPTION, field="description")
    if not plan.owner_id:
        raise BadInput("action_no_owner", field="owner")
    agency = _blank(plan.agency)
    if agency and len(agency) > MAX_AGENCY:
        raise BadInput("organisation_too_long", limit=MAX_AGENCY, field="agency")
    if agency and not plan.agency_in_group and not plan.volunteer_id:
        raise BadInput("action_needs_volunteer", field="volunteer")
    for name, value in (("objective", plan.objective), ("responsible_text", plan.responsible_text),
                        ("prerequisites", plan.prerequisites), ("milestone", plan.milestone)):
        if value and len(value.strip()) > MAX_TEXT:
            raise BadInput("contribution_too_long", length=len(value.strip()), limit=MAX_TEXT, field=name)
    users = tuple(dict.fromkeys(u for u in plan.responsible_users if u and u != plan.owner_id))
    if len(users) > MAX_RESPONSIBLE:
        raise BadInput("too_many_responsible", limit=MAX_RESPONSIBLE, field="responsible_users")
    return PlanEdit(description, plan.owner_id, _blank(plan.objective), agency, plan.agency_in_group or not agency,
                    plan.volunteer_id if agency and not plan.agency_in_group else None, users,
                    _blank(plan.responsible_text), _blank(plan.prerequisites), _blank(plan.target),
                    _blank(plan.milestone))


def _blank(value: str | None) -> str | None:
    return (value or "").strip() or None


def _apply(action: Action, plan: PlanEdit, group: Group, now: datetime) -> date | None:
    """Write the form onto the row; returns the new reminder day when the target was changed."""
    action.description, action.owner_id, action.agency = plan.description, plan.owner_id, plan.agency
    # A form pre-filled with the theme as the objective, left alone, keeps "the theme" rather than a copy of it.
    action.objective = None if plan.objective in (None, action.theme) else plan.objective
    action.agency_in_group, action.volunteer_id = plan.agency_in_group, plan.volunteer_id
    action.responsible_users = list(plan.responsible_users) or None
    action.responsible_text, action.prerequisites = plan.responsible_text, plan.prerequisites
    action.milestone = plan.milestone
    if plan.target == shown_target(action):
        return None
    if plan.target is None:
        action.target_text, action.due_date = None, None
        return None
    try:
        target = read_target(plan.target, group.timezone, now)
    except BadInput as error:  # said under the form's target field
        raise BadInput(error.code, **{**error.params, "field": "target"}) from error
    # An exact date needs no words kept beside it: "2027-07-31" is shown as a date like any other.
    action.target_text, action.due_date = (target.text if target.loose else None), target.day
    return target.day


def shown_target(action: Action | ActionSnap) -> str | None:
    """The target as the form shows it: the words as written, or the exact date."""
    if action.target_text:
        return action.target_text
    return action.due_date.isoformat() if action.due_date else None


def _fields(a: Action) -> dict[str, Any]:
    """The fields the history records, by the names the form and the history show."""
    return {"description": a.description, "objective": a.objective, "agency": a.agency, "owner": a.owner_id,
            "responsible": list(a.responsible_users or []), "responsible_text": a.responsible_text,
            "prerequisites": a.prerequisites, "target": a.target_text or (format_day(a.due_date) if a.due_date
                                                                          else None),
            "reminder_date": a.due_date.isoformat() if a.due_date else None, "milestone": a.milestone,
            "agency_in_group": a.agency_in_group, "volunteer": a.volunteer_id}
