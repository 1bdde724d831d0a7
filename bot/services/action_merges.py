"""Merging two actions that turned out to be one, and dropping an action with a reason.

A merged action is closed as `dropped` with a pointer (`merged_into`) to the one that carries on: the
five statuses of the spec (§3.2) stay as they are, and lists show "merged into A-7" wherever the pointer
is set. Both actions keep their history; the one that carries on gains the merged one's owner among the
people responsible, so nobody who was doing the work drops out of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.action_status import Status, parse_ref
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.snapshots import ActionSnap, GroupSnap
from bot.services.action_edits import may_change
from bot.services.common import group_snap, require_chair, require_group
from bot.services.contributions import MAX_TEXT
from bot.services.reports import find_action
from bot.services.stage_state import action_snap
from storage.models import ActionEdit, ActionUpdate
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Merged:
    merged: ActionSnap  # closed, pointing at `into`
    into: ActionSnap
    group: GroupSnap
    new: bool
    added: tuple[str, ...] = ()  # people now also responsible for `into` (the merged action's owner and others)


@dataclass(frozen=True)
class Dropped:
    action: ActionSnap
    group: GroupSnap
    reason: str
    new: bool


def merge_actions(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, source: str,
                  target: str, request_key: str) -> Merged:
    """`/actions merge A-3 into A-7` (chairs, in the group's channel)."""
    now = clock.now()
    numbers = parse_ref(source), parse_ref(target)
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "action.merge", now)
        merged, into = (uow.actions.by_number(group.id, n) for n in numbers)
        for number, row in zip(numbers, (merged, into), strict=True):
            if row is None:
                raise DomainError("unknown_action", ref=f"A-{number}")
        assert merged is not None and into is not None
        if uow.actions.edit_by_request(request_key) is not None:
            return Merged(action_snap(merged), action_snap(into), group_snap(uow, group), False)
        if merged.id == into.id:
            raise BadInput("merge_same", ref=f"A-{merged.number}")
        for row in (merged, into):
            if row.merged_into is not None:
                raise DomainError("action_merged_already", ref=f"A-{row.number}")
        if into.status == Status.DROPPED.value:
            raise DomainError("merge_into_dropped", ref=f"A-{into.number}")
        if not uow.actions.add_unique(ActionEdit(  # first: the request's key settles a double delivery
                action_id=merged.id, author=actor, kind="merge", request_key=request_key, at=now,
                changes={"status": [merged.status, Status.DROPPED.value], "merged_into": [None, f"A-{into.number}"]})):
            uow.rollback()
            raise DomainError("duplicate_request")
        uow.actions.add(ActionUpdate(action_id=merged.id, author=actor, old_status=merged.status,
                                     new_status=Status.DROPPED.value, note=f"Merged into A-{into.number}", at=now))
        before = list(into.responsible_users or [])
        extra = [u for u in dict.fromkeys([merged.owner_id, *(merged.responsible_users or [])])
                 if u != into.owner_id and u not in before]
        changes_into: dict[str, list[object]] = {"merged_from": [None, f"A-{merged.number}"]}
        if extra:
            into.responsible_users = before + extra
            changes_into["responsible"] = [before, before + extra]
        uow.actions.add(ActionEdit(action_id=into.id, author=actor, kind="merged", changes=changes_into, at=now))
        merged.status, merged.merged_into = Status.DROPPED.value, into.id
        uow.audit.record(now, actor, "action.merge", "ok", group.id, ref=f"A-{merged.number}", into=f"A-{into.number}")
        uow.commit()
        return Merged(action_snap(merged), action_snap(into), group_snap(uow, group), True, tuple(extra))


def drop_action(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, ref: str,
                reason: str, request_key: str) -> Dropped:
    """`/actions drop A-3 <reason>` (the owner or a chair): the reason is required and kept."""
    now = clock.now()
    reason = " ".join((reason or "").split())
    parse_ref(ref)
    if not reason:
        raise BadInput("drop_needs_reason", ref=ref.upper())
    if len(reason) > MAX_TEXT:
        raise BadInput("contribution_too_long", length=len(reason), limit=MAX_TEXT)
    with uow:
        action, group = find_action(uow, team_id, channel_id, actor, ref, None)
        may_change(uow, group, action, actor, now, "action.drop")
        if uow.actions.edit_by_request(request_key) is not None:
            return Dropped(action_snap(action), group_snap(uow, group), reason, False)
        if action.status == Status.DROPPED.value:
            raise DomainError("action_dropped_already", ref=f"A-{action.number}")
        if not uow.actions.add_unique(ActionEdit(
                action_id=action.id, author=actor, kind="drop", request_key=request_key, at=now,
                changes={"status": [action.status, Status.DROPPED.value], "reason": [None, reason]})):
            uow.rollback()
            raise DomainError("duplicate_request")
        uow.actions.add(ActionUpdate(action_id=action.id, author=actor, old_status=action.status,
                                     new_status=Status.DROPPED.value, note=reason, at=now))
        action.status = Status.DROPPED.value
        uow.audit.record(now, actor, "action.drop", "ok", group.id, ref=f"A-{action.number}")
        uow.commit()
        return Dropped(action_snap(action), group_snap(uow, group), reason, True)
