"""The group's action plan read as a whole: by lead organisation (`/actions by agency`, the export's grouping).

Shared by `/actions by agency` and `/group export actions ... agency`: both read frozen snapshots from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.action_status import Status
from bot.domain.clock import Clock
from bot.domain.errors import DomainError
from bot.domain.snapshots import ActionSnap, GroupSnap
from bot.services.common import Reader, check_reader, group_snap, require_group
from bot.services.stage_state import action_snap
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Waiting:
    """An action whose agency was not in the group when it was agreed: who was to invite them."""

    action: ActionSnap
    volunteer_id: str | None
    joined: bool  # a member of the group now has that organisation


@dataclass(frozen=True)
class AgencyActions:
    """One lead organisation's actions (merged ones left out: they live on in the action they joined)."""

    agency: str | None  # as first written; None gathers the actions with no lead organisation
    actions: tuple[ActionSnap, ...]
    open: int
    overdue: int
    done: int
    in_group: bool  # a member of the group has this organisation now
    overdue_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ByAgency:
    group: GroupSnap
    agencies: tuple[AgencyActions, ...]  # by name (case-insensitive), the actions without one last
    waiting: tuple[Waiting, ...]  # open actions waiting on an agency that was not in the group
    today: date  # the group's calendar day the counts were made on


def agency_key(name: str | None) -> str:
    """How two spellings of one organisation compare: case, spacing, "&"/"and" and punctuation aside."""
    text = re.sub(r"\s*&\s*", " and ", (name or "").lower())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def actions_by_agency(uow: UnitOfWork, *, group_id: int, now: datetime, reader: Reader | None = None,
                      only: Callable[[ActionSnap], bool] | None = None) -> ByAgency:
    """Each lead organisation's actions with open/overdue/done counts, and the actions waiting on an agency
    that is not in the group (with the volunteer who was to invite them and whether it has joined since).

    `only` keeps the actions it accepts (the export's filters); `reader` checks membership (commands).
    Three queries whatever the plan's size: the group, its members, its actions.
    """
    with uow:
        group = uow.groups.get(group_id)
        if group is None:
            raise DomainError("no_group")
        check_reader(uow, group, reader)
        snap = group_snap(uow, group)
        today = now.astimezone(ZoneInfo(group.timezone)).date()
        rows = [action_snap(a) for a in uow.actions.for_group(group.id)]
    organisations = {agency_key(m.organisation) for m in snap.members if m.organisation}
    items = [a for a in rows if a.merged_into is None and (only is None or only(a))]
    by_key: dict[str, list[ActionSnap]] = {}
    names: dict[str, str | None] = {}
    for a in items:
        key = agency_key(a.agency)
        by_key.setdefault(key, []).append(a)
        names.setdefault(key, (a.agency or "").strip() or None)
    agencies = tuple(_agency(names[k], tuple(v), today, bool(k) and k in organisations)
                     for k, v in sorted(by_key.items(), key=lambda kv: (kv[0] == "", kv[0])))
    waiting = tuple(Waiting(a, a.volunteer_id, agency_key(a.agency) in organisations) for a in items
                    if a.agency and not a.agency_in_group and Status(a.status).open)
    return ByAgency(snap, agencies, waiting, today)


def agency_view(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, reader: Reader) -> ByAgency:
    """`/actions by agency` in the group's channel (members, or people in the channel)."""
    with uow:
        group_id = require_group(uow, team_id, channel_id).id
    return actions_by_agency(uow, group_id=group_id, now=clock.now(), reader=reader)


def is_late(action: ActionSnap, today: date) -> bool:
    """Open and past its target day on the group's calendar (due today is not late yet)."""
    return Status(action.status).open and action.due_date is not None and action.due_date < today


def _agency(name: str | None, actions: tuple[ActionSnap, ...], today: date, in_group: bool) -> AgencyActions:
    late = frozenset(a.id for a in actions if is_late(a, today))
    return AgencyActions(name, actions, sum(Status(a.status).open for a in actions), len(late),
                         sum(a.status == Status.DONE for a in actions), in_group, late)
