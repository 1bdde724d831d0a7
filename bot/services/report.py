"""The progress report for the group's sponsors (the "six-month update"): what it says, as plain values.

Read in a fixed number of queries whatever the history's size (bench/report.py: two years, 2,000 actions).
Statuses over time are rebuilt from each action's reports back: an action counts from the day it was
added, with the status its latest report before that day gave it, and is overdue on a day when it was
open and its target date (as last set by then) had passed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.action_status import Status
from bot.domain.clock import Clock
from bot.domain.errors import BadInput
from bot.domain.roles import Role
from bot.domain.when import parse_day
from bot.services.common import require_chair, require_group
from bot.services.exports import Namer, namer
from storage.models import Action, ActionUpdate, Group
from storage.uow import UnitOfWork

POINTS = 60  # samples on the time charts: enough for a smooth line over two years, cheap to compute


@dataclass(frozen=True)
class Highlight:
    ref: str
    action: str
    who: str
    lead: str
    on: date
    note: str


@dataclass(frozen=True)
class Stuck:
    ref: str
    action: str
    who: str
    lead: str
    status: str
    target: date | None
    overdue: bool
    note: str


@dataclass(frozen=True)
class ReportData:
    group: str
    period_from: date
    period_to: date
    generated: str
    totals: dict[str, int]  # status -> actions; plus "overdue"
    by_theme: dict[str, dict[str, int]]  # theme -> status -> actions
    timeline: tuple[tuple[date, int, int, int], ...]  # (day, open, done, overdue)
    attendance: tuple[tuple[int, date, int], ...]  # (meeting number, day, present)
    signoff: tuple[tuple[int, int, int], ...]  # (agreement version, signed, expected)
    response: tuple[tuple[date, int, int], ...]  # (week, answered, invited)
    ratings: tuple[tuple[int, float, int], ...]  # (meeting number, mean rating 1-5, how many rated)
    highlights: tuple[Highlight, ...]
    stuck: tuple[Stuck, ...]
    meetings_in_period: int
    new_actions: int


def progress_report(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                    since: str | None) -> ReportData:
    """A chair's report (audited): from `since` (a date typed in the group's zone), else since the last one."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "group.report", now)
        start = _since(group, since, now) if since else None
        data = build(uow, group, now, start)
        group.last_report_at = now
        uow.audit.record(now, actor, "group.report", "ok", group.id, since=data.period_from.isoformat())
        uow.commit()
        return data


def _since(group: Group, typed: str, now: datetime) -> date:
    day = parse_day(typed, group.timezone, now)
    today = now.astimezone(ZoneInfo(group.timezone)).date()
    if day > today:  # "1 March" is read forward, as for due dates; a report looks back
        day = day.replace(year=day.year - 1)
    if day > today:
        raise BadInput("report_since_future", given=typed)
    return day


def build(uow: UnitOfWork, group: Group, now: datetime, since: date | None = None) -> ReportData:
    """The report's values; `since` defaults to the last report, else the group's beginning."""
    zone = ZoneInfo(group.timezone)
    today = now.astimezone(zone).date()
    start = since or (group.last_report_at or group.created_at).astimezone(zone).date()
    actions = list(uow.actions.for_group(group.id))
    updates: dict[int, list[ActionUpdate]] = defaultdict(list)
    for u in uow.actions.group_updates(group.id):
        updates[u.action_id].append(u)
    name = namer(uow.groups.members(group.id))
    meetings = uow.reports.meetings(group.id)
    present = uow.reports.present_counts(group.id)
    by_number = {m.id: m.number for m in meetings}
    first = min([group.created_at.astimezone(zone).date(), *(a.created_at.astimezone(zone).date() for a in actions)])
    return ReportData(
        group=group.name, period_from=start, period_to=today,
        generated=now.astimezone(zone).strftime("%-d %B %Y"),
        totals=_totals(actions, today), by_theme=_by_theme(actions),
        timeline=_timeline(actions, updates, first, today, zone),
        attendance=tuple((m.number, m.started_at.astimezone(zone).date(), present.get(m.id, 0)) for m in meetings),
        signoff=_signoff(uow, group), response=_response(uow, group),
        ratings=_ratings(uow, group, by_number),
        highlights=_highlights(actions, updates, start, name, zone),
        stuck=_stuck(actions, updates, today, name),
        meetings_in_period=sum(1 for m in meetings if m.started_at.astimezone(zone).date() >= start),
        new_actions=sum(1 for a in actions if a.created_at.astimezone(zone).date() >= start))


def _totals(actions: list[Action], today: date) -> dict[str, int]:
    counts = Counter(a.status for a in actions)
    totals = {s.value: counts.get(s.value, 0) for s in Status}
    totals["overdue"] = sum(1 for a in actions if _overdue(a.status, a.due_date, today))
    return totals


def _by_theme(actions: list[Action]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for a in actions:
        row = out.setdefault(a.theme or "No theme", {s.value: 0 for s in Status})
        row[a.status] = row.get(a.status, 0) + 1
    return dict(sorted(out.items()))


def _overdue(status: str, due: date | None, day: date) -> bool:
    return Status(status).open and due is not None and due < day


def _timeline(actions: list[Action], updates: dict[int, list[ActionUpdate]], first: date, today: date,
              zone: ZoneInfo) -> tuple[tuple[date, int, int, int], ...]:
    span = max((today - first).days, 1)
    days = sorted({first + timedelta(days=round(span * i / (POINTS - 1))) for i in range(POINTS)})
    counts = [[0, 0, 0] for _ in days]
    open_words = {s.value for s in Status if s.open}
    for a in actions:
        made = a.created_at.astimezone(zone).date()
        # Plain values once per action: the loop below runs POINTS times per action.
        history = [(u.at.astimezone(zone).date(), u.new_status, u.new_due_date) for u in updates.get(a.id, [])]
        moments = [h[0] for h in history]
        for i, day in enumerate(days):
            if day < made:
                continue
            k = bisect_right(moments, day)
            status = history[k - 1][1] if k else Status.NOT_STARTED.value
            if status == Status.DONE.value:
                counts[i][1] += 1
            elif status in open_words:
                counts[i][0] += 1
                # before a report moved it, the first target is not kept: the current one stands in
                due = next((h[2] for h in reversed(history[:k]) if h[2]), a.due_date)
                counts[i][2] += due is not None and due < day
    return tuple((d, c[0], c[1], c[2]) for d, c in zip(days, counts, strict=True))


def _signoff(uow: UnitOfWork, group: Group) -> tuple[tuple[int, int, int], ...]:
    expected = sum(1 for m in uow.groups.members(group.id) if m.erased_at is None and Role(m.role).expected_to_sign)
    return tuple((v.version, n, max(expected, n)) for v, n in uow.reports.signature_counts(group.id))


def _response(uow: UnitOfWork, group: Group) -> tuple[tuple[date, int, int], ...]:
    return tuple((w.week_start, w.answered or 0, w.invited or 0) for w in uow.checkins.weeks(group.id)
                 if w.invited)


def _ratings(uow: UnitOfWork, group: Group, by_number: dict[int, int]) -> tuple[tuple[int, float, int], ...]:
    given: dict[int, list[int]] = defaultdict(list)
    for meeting_id, details in uow.reports.feedback_ratings(group.id):
        rating = details.get("rating") if isinstance(details, dict) else None
        if rating and str(rating).isdigit() and 1 <= int(rating) <= 5:
            given[meeting_id].append(int(rating))
    return tuple(sorted((by_number[m], sum(r) / len(r), len(r)) for m, r in given.items() if m in by_number))


def _highlights(actions: list[Action], updates: dict[int, list[ActionUpdate]], start: date, name: Namer,
                zone: ZoneInfo) -> tuple[Highlight, ...]:
    out = []
    for a in actions:
        done = [u for u in updates.get(a.id, []) if u.new_status == Status.DONE.value]
        if a.status != Status.DONE.value or not done or done[-1].at.astimezone(zone).date() < start:
            continue
        last = done[-1]
        out.append(Highlight(f"A-{a.number}", a.description, name(a.owner_id), a.agency or "",
                             last.at.astimezone(zone).date(), last.note or ""))
    return tuple(sorted(out, key=lambda h: (h.on, h.ref)))


def _stuck(actions: list[Action], updates: dict[int, list[ActionUpdate]], today: date,
           name: Namer) -> tuple[Stuck, ...]:
    out = []
    for a in actions:
        overdue = _overdue(a.status, a.due_date, today)
        if a.status != Status.BLOCKED.value and not overdue:
            continue
        notes = [u.note for u in updates.get(a.id, []) if u.note]
        out.append(Stuck(f"A-{a.number}", a.description, name(a.owner_id), a.agency or "", a.status, a.due_date,
                         overdue, notes[-1] if notes else ""))
    return tuple(sorted(out, key=lambda s: (s.status != Status.BLOCKED.value, s.target or date.max, s.ref)))
