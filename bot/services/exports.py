"""The action plan and the check-in answers as rows for a file: what `/group export actions|checkins` uploads.

Rows carry names, never Slack ids (a file is read outside Slack), and plain dates (the renderer decides how
a spreadsheet or a page shows them). The plan is the group's record, so any member may export it; the
check-ins hold what managers told the chairs, so only chairs may, and the file goes to them alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.action_status import Status
from bot.domain.clock import Clock
from bot.domain.erased import is_erased
from bot.domain.themes import match_theme, normalise
from bot.services import action_plan
from bot.services.common import Reader, check_reader, require_chair, require_group
from storage.models import Action, ActionUpdate, Group, Member
from storage.uow import UnitOfWork

FORMER = "a former member"


@dataclass(frozen=True)
class PlanFilters:
    theme: str | None = None
    agency: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    by_agency: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        """The filters as a reader would say them (for the file's heading)."""
        said = [f"theme: {self.theme}"] if self.theme else []
        said += [f"lead organisation: {self.agency}"] if self.agency else []
        said += ["open actions only"] if self.open_only else []
        said += ["overdue actions only"] if self.overdue_only else []
        return tuple(said)


@dataclass(frozen=True)
class PlanRow:
    id: int
    ref: str
    objective: str
    action: str
    prerequisites: str
    responsible: str
    lead: str
    target: date | None
    target_text: str  # the target as written when the plan keeps one ("by end of July"), else ""
    status: str
    latest_update: str
    latest_update_on: date | None
    overdue: bool
    lead_in_group: bool = True


@dataclass(frozen=True)
class ActionPlan:
    group: str
    generated: str  # in the group's time zone, e.g. "3 December 2026, 14:05"
    filters: PlanFilters
    rows: tuple[PlanRow, ...]
    by_agency: tuple[tuple[str, tuple[PlanRow, ...]], ...] = field(default=())


Namer = Callable[[str | None], str]


def namer(members: Sequence[Member]) -> Namer:
    """How a file names a person: their name as Slack gave it, else "a member"; a former member as such."""
    names = {m.user_id: m.display_name for m in members}

    def name(user_id: str | None) -> str:
        if not user_id:
            return ""
        if is_erased(user_id):
            return FORMER
        return names.get(user_id) or "a member"
    return name


def export_plan(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, reader: Reader,
                filters: PlanFilters, theme_names: Sequence[str]) -> ActionPlan:
    """The group's action plan, filtered, for a member (refusals audited by `check_reader`); audited.

    Grouped by lead organisation with `by agency`, the grouping is `/actions by agency`'s
    (bot/services/action_plan.py: spellings of one organisation together, those without one last).
    """
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        plan = plan_of(uow, group, now, filters, theme_names)
        uow.audit.record(now, reader.user_id, "export.actions", "ok", group.id, rows=len(plan.rows))
        uow.commit()
        group_id = group.id
    if not filters.by_agency:
        return plan
    rows = {r.id: r for r in plan.rows}
    by = action_plan.actions_by_agency(uow, group_id=group_id, now=now, only=lambda a: a.id in rows)
    grouped = tuple((a.agency or words_no_lead(), tuple(rows[x.id] for x in a.actions)) for a in by.agencies)
    return replace(plan, by_agency=grouped)


def words_no_lead() -> str:
    return "No lead organisation yet"


def plan_of(uow: UnitOfWork, group: Group, now: datetime, filters: PlanFilters,
            theme_names: Sequence[str] = ()) -> ActionPlan:
    """The plan as rows, in three queries whatever its size (actions, their updates, members). Actions merged
    into another are left out: they live on in the action they joined."""
    zone = ZoneInfo(group.timezone)
    today = now.astimezone(zone).date()
    actions = [a for a in uow.actions.for_group(group.id) if a.merged_into is None]
    latest: dict[int, ActionUpdate] = {}
    for update in uow.actions.group_updates(group.id):  # oldest first: the last one wins
        latest[update.action_id] = update
    name = namer(uow.groups.members(group.id))
    if filters.theme:
        known = list(dict.fromkeys([*theme_names, *(a.theme for a in actions if a.theme)]))
        filters = replace(filters, theme=match_theme(filters.theme, known))
    rows = [_row(a, latest.get(a.id), name, today, zone) for a in actions if _wanted(a, filters, today)]
    return ActionPlan(group.name, now.astimezone(zone).strftime("%-d %B %Y, %H:%M"), filters, tuple(rows))


def is_overdue(action: Action, today: date) -> bool:
    return Status(action.status).open and action.due_date is not None and action.due_date < today


def _wanted(action: Action, f: PlanFilters, today: date) -> bool:
    if f.theme and (action.theme or "") != f.theme:
        return False
    if f.agency and normalise(f.agency) not in normalise(action.agency or ""):
        return False
    if f.open_only and not Status(action.status).open:
        return False
    return not (f.overdue_only and not is_overdue(action, today))


def _row(a: Action, update: ActionUpdate | None, name: Namer, today: date, zone: ZoneInfo) -> PlanRow:
    note = ""
    if update is not None:
        note = update.note or f"Status set to {update.new_status}"
    return PlanRow(
        id=a.id, ref=f"A-{a.number}", objective=_text(a.objective) or a.theme or "", action=a.description,
        prerequisites=a.prerequisites or "", responsible=_responsible(a, name), lead=a.agency or "",
        target=a.due_date, target_text=_text(a.target_text), status=a.status,
        latest_update=note, latest_update_on=update.at.astimezone(zone).date() if update else None,
        overdue=is_overdue(a, today), lead_in_group=a.agency_in_group)


def _responsible(a: Action, name: Namer) -> str:
    """The owner first, then the others responsible: people by name, organisations and posts as written."""
    people = [name(a.owner_id) if not is_erased(a.owner_id) else f"unassigned ({FORMER})"]
    people += [name(u) for u in a.responsible_users or []]
    people += [_text(a.responsible_text)]
    return ", ".join(dict.fromkeys(p for p in people if p))


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class CheckinRow:
    week: date
    home: str
    manager: str
    question: str
    answer: str
    chairs_only: bool
    answered_on: date


@dataclass(frozen=True)
class CheckinExport:
    group: str
    rows: tuple[CheckinRow, ...]


def export_checkins(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                    labels: Mapping[str, str]) -> CheckinExport:
    """Every check-in answer, chair-only ones included: only chairs may ask, and the file goes to them alone."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "export.checkins", now)
        members = uow.groups.members(group.id)
        name, homes = namer(members), {m.user_id: m.organisation or "" for m in members}
        zone = ZoneInfo(group.timezone)
        rows = [CheckinRow(week, homes.get(a.user_id, ""), name(a.user_id), labels.get(key, key),
                           str(value.get("text") or ""), bool(value.get("chair_only")),
                           a.updated_at.astimezone(zone).date())
                for week, a in uow.reports.checkin_answers(group.id)
                for key, value in a.answers.items() if isinstance(value, dict) and value.get("text")]
        uow.audit.record(now, actor, "export.checkins", "ok", group.id, rows=len(rows))
        uow.commit()
        return CheckinExport(group.name, tuple(rows))
