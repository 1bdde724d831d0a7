"""Reporting back on actions between meetings (method step 14): my actions, the group's, and updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.action_status import Status, parse_ref, parse_status
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError, NotAllowed
from bot.domain.roles import Role
from bot.domain.snapshots import ActionSnap, GroupSnap, UpdateSnap
from bot.services.common import Reader, check_reader, group_snap, require_group
from bot.services.contributions import MAX_TEXT
from bot.services.stage_state import action_snap, update_snap
from storage.models import Action, ActionUpdate, Group
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class MyAction:
    action: ActionSnap
    group: str
    channel_id: str
    overdue: bool


@dataclass(frozen=True)
class Reported:
    action: ActionSnap
    group: GroupSnap
    update: UpdateSnap
    new: bool


def my_open_actions(uow: UnitOfWork, clock: Clock, *, team_id: str, user_id: str) -> tuple[MyAction, ...]:
    with uow:
        return tuple(MyAction(action_snap(a), g.name, g.channel_id, is_overdue(a, g, clock.now()))
                     for a, g in uow.actions.open_for_owner(team_id, user_id))


def group_actions(uow: UnitOfWork, *, team_id: str, channel_id: str,
                  reader: Reader | None = None) -> tuple[GroupSnap, tuple[ActionSnap, ...]]:
    """The group's actions (`/actions all`): members only, when a reader asks."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        return group_snap(uow, group), tuple(action_snap(a) for a in uow.actions.for_group(group.id))


def action_history(uow: UnitOfWork, *, action_id: int, actor: str, clock: Clock
                   ) -> tuple[ActionSnap, GroupSnap, tuple[UpdateSnap, ...]]:
    """What the Report back form shows: the action and its updates (owner or chair only)."""
    with uow:
        action = uow.actions.get(action_id)
        if action is None:
            raise DomainError("unknown_action", ref=f"A-{action_id}")
        group = uow.groups.get(action.group_id)
        assert group is not None
        _may_report(uow, group, action, actor, clock.now())
        history = tuple(update_snap(u) for u in uow.actions.updates(action.id))
        return action_snap(action), group_snap(uow, group), history


def report_action(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, ref: str,
                  status: str, note: str | None, request_key: str, new_due: date | None = None,
                  action_id: int | None = None) -> Reported:
    """Record an update: owner or chair only; `blocked` needs a reason. Kept forever as history."""
    now = clock.now()
    new_status = parse_status(status)
    note = (note or "").strip() or None
    if new_status is Status.BLOCKED and not note:
        raise BadInput("blocked_needs_note", field="note")
    if new_status is Status.DROPPED and not note:  # a plan that loses an action says why (issue 11)
        raise BadInput("dropped_needs_note", field="note")
    if note and len(note) > MAX_TEXT:
        raise BadInput("contribution_too_long", length=len(note), limit=MAX_TEXT, field="note")
    with uow:
        action, group = _find(uow, team_id, channel_id, actor, ref, action_id)
        _may_report(uow, group, action, actor, now)
        done = uow.actions.update_by_request(request_key)
        if done is not None:
            return Reported(action_snap(action), group_snap(uow, group), update_snap(done), False)
        row = ActionUpdate(action_id=action.id, author=actor, old_status=action.status, new_status=new_status.value,
                           note=note, new_due_date=new_due, request_key=request_key, at=now)
        if not uow.actions.add_unique(row):
            return Reported(action_snap(action), group_snap(uow, group), update_snap(row), False)
        action.status = new_status.value
        if new_due is not None:
            action.due_date, action.target_text = new_due, None  # an exact date replaces words like "Q3 2027"
        uow.audit.record(now, actor, "action.report", "ok", group.id, ref=f"A-{action.number}",
                         status=new_status.value)
        uow.commit()
        return Reported(action_snap(action), group_snap(uow, group), update_snap(row), True)


def find_action(uow: UnitOfWork, team_id: str, channel_id: str, actor: str, ref: str,
                action_id: int | None) -> tuple[Action, Group]:
    """The action by id (from a button), or by its ref in this channel's group, or in the actor's groups."""
    return _find(uow, team_id, channel_id, actor, ref, action_id)


def _find(uow: UnitOfWork, team_id: str, channel_id: str, actor: str, ref: str,
          action_id: int | None) -> tuple[Action, Group]:
    """The action by id (from a button), or by its ref in this channel's group, or in the actor's groups."""
    if action_id is not None:
        action = uow.actions.get(action_id)
        group = uow.groups.get(action.group_id) if action else None
        if action and group:
            return action, group
        raise DomainError("unknown_action", ref=ref)
    number = parse_ref(ref)
    here = uow.groups.by_channel(team_id, channel_id)
    candidates = [here] if here else list(uow.groups.for_user(team_id, actor))
    found = [(a, g) for g in candidates if (a := uow.actions.by_number(g.id, number)) is not None]
    if not here and len(found) > 1:
        found = [(a, g) for a, g in found if a.owner_id == actor] or found
    if len(found) == 1:
        return found[0]
    if not found:
        raise DomainError("unknown_action", ref=f"A-{number}")
    raise DomainError("ambiguous_action", ref=f"A-{number}", groups=[g.name for _, g in found])


def _may_report(uow: UnitOfWork, group: Group, action: Action, actor: str, now: datetime) -> None:
    member = uow.groups.member(group.id, actor)
    if actor == action.owner_id or (member is not None and Role(member.role).runs_meetings):
        return
    uow.audit.record(now, actor, "action.report", "refused", group.id, ref=f"A-{action.number}")
    uow.commit()
    raise NotAllowed("not_action_owner", ref=f"A-{action.number}", owner=action.owner_id)


def is_overdue(action: Action, group: Group, now: datetime) -> bool:
    """Past its target date on the group's calendar (an action due today is not overdue yet)."""
    return action.due_date is not None and action.due_date < now.astimezone(ZoneInfo(group.timezone)).date()
