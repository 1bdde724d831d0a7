"""Adding actions: who owns them, the agency best placed, the theme and target date (method step 12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.domain.clock import Clock
from bot.domain.errors import BadInput
from bot.domain.snapshots import ActionSnap, GroupSnap, StageState
from bot.domain.stages import Slot, StageKey
from bot.domain.themes import match_theme
from bot.domain.when import is_past, parse_day
from bot.services.common import ensure_member, group_snap, require_group
from bot.services.stage_state import action_snap, stage_state
from storage.models import Action, Group
from storage.uow import UnitOfWork

MAX_DESCRIPTION = 500
MAX_AGENCY = 200
NUMBER_TRIES = 5


@dataclass(frozen=True)
class NewAction:
    """An action as typed (command) or chosen (modal); theme and due are still raw text."""

    description: str
    owner_id: str
    agency: str | None = None
    theme: str | None = None
    due: str | None = None
    prerequisites: str | None = None
    volunteer_id: str | None = None
    agency_in_group: bool = True


@dataclass(frozen=True)
class Added:
    action: ActionSnap
    group: GroupSnap
    new: bool
    thread: tuple[str, str] | None  # the actions card (channel, ts) of the running meeting, to reply under
    added_owner: bool = False
    card: StageState | None = None  # the running meeting's actions stage, to redraw its card


@dataclass(frozen=True)
class ToConfirm:
    """Something the person should confirm before the action is added: `owner` or `past`."""

    reason: str
    params: dict[str, Any] = field(default_factory=dict)


def add_action(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, new: NewAction,
               catalogue: Mapping[str, Sequence[str]], request_key: str, source: str,
               confirmed: frozenset[str] = frozenset()) -> Added | ToConfirm:
    """Add an action to the channel's group (and its running meeting, if any), numbered A-1, A-2, ..."""
    now = clock.now()
    new = _checked(new)
    with uow:
        group = require_group(uow, team_id, channel_id)
        existing = uow.actions.by_request(request_key)
        if existing is not None:
            return Added(action_snap(existing), group_snap(uow, group), False, None)
        theme = match_theme(new.theme, catalogue.get(group.theme_set, ())) if new.theme else None
        due = parse_day(new.due, group.timezone, now) if new.due else None
        if due is not None and "past" not in confirmed and is_past(due, group.timezone, now):
            return ToConfirm("past", {"due": due})
        owner_is_new = uow.groups.member(group.id, new.owner_id) is None
        if owner_is_new and "owner" not in confirmed:
            return ToConfirm("owner", {"user": new.owner_id})
        for user in {actor, new.owner_id, new.volunteer_id} - {None}:
            ensure_member(uow, group, str(user), now)
        meeting = uow.meetings.running(group.id)
        row = _insert(uow, group, new, theme, due, meeting.id if meeting else None, actor, source, request_key, now)
        if row is None:  # a concurrent copy of this request (a form submitted twice) added it first
            row = uow.actions.by_request(request_key)
            assert row is not None
            return Added(action_snap(row), group_snap(uow, group), False, None)
        uow.audit.record(now, actor, "action.add", "ok", group.id, ref=f"A-{row.number}", owner=new.owner_id)
        uow.commit()
        cards = [c for c in uow.meetings.cards(meeting.id, StageKey.ACTIONS) if c.ts] if meeting else []
        thread = (cards[-1].channel_id, str(cards[-1].ts)) if cards else None
        card = stage_state(uow, meeting, Slot(StageKey.ACTIONS)) if cards and meeting else None
        return Added(action_snap(row), group_snap(uow, group), True, thread, owner_is_new, card)


def _checked(new: NewAction) -> NewAction:
    description = " ".join(new.description.split())
    if not description:
        raise BadInput("action_no_description")
    if len(description) > MAX_DESCRIPTION:
        raise BadInput("action_description_long", length=len(description), limit=MAX_DESCRIPTION, field="description")
    if not new.owner_id:
        raise BadInput("action_no_owner")
    agency = (new.agency or "").strip() or None
    if agency and len(agency) > MAX_AGENCY:
        raise BadInput("organisation_too_long", limit=MAX_AGENCY)
    if not new.agency_in_group and not new.volunteer_id:
        raise BadInput("action_needs_volunteer", field="volunteer")
    return replace(new, description=description, agency=agency,
                   prerequisites=(new.prerequisites or "").strip() or None)


def _insert(uow: UnitOfWork, group: Group, new: NewAction, theme: str | None, due: date | None,
            meeting_id: int | None, actor: str, source: str, request_key: str, now: Any) -> Action | None:
    # Two people adding at the same moment race for the next number: the unique constraint decides.
    for _ in range(NUMBER_TRIES):
        row = Action(group_id=group.id, number=uow.actions.next_number(group.id), meeting_id=meeting_id,
                     description=new.description, theme=theme, owner_id=new.owner_id, agency=new.agency,
                     agency_in_group=new.agency_in_group, volunteer_id=new.volunteer_id,
                     prerequisites=new.prerequisites, due_date=due, status="not-started", source=source,
                     request_key=request_key, created_by=actor, created_at=now)
        if uow.actions.add_unique(row):
            return row
        if uow.actions.by_request(request_key) is not None:
            return None
    raise BadInput("duplicate_request")


def known_organisations(uow: UnitOfWork, *, team_id: str, channel_id: str) -> tuple[list[str], list[str]]:
    """(organisations of the group's members, the meeting's themes or the set's) for the add-action form."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        orgs = sorted({m.organisation for m in uow.groups.members(group.id) if m.organisation})
        meeting = uow.meetings.running(group.id)
        return orgs, list(meeting.themes or []) if meeting else []
