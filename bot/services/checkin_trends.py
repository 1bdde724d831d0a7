"""Check-in trends per care home (a manager's organisation) over the weeks, and the chairs' escalations.

A home is escalated to the chairs, by DM, when its manager has not answered for N closed weeks running,
or has raised the same concern N weeks running in "what has not gone well" (N is the group's setting,
3 by default). A concern is a word or two-word phrase that recurs (bot.domain.checkins' keywords, the
same the digest uses), so "agency staff at night" one week and "short of agency staff" the next recur.
Each run of weeks is escalated once: the delivery's period names the run's first week, so a home still
silent in week 4 is not escalated again, and a new run after an answer is.

Choices made: a week counts once it has closed (its digest time has passed); a manager counts from the
week they joined; one who is away now is not escalated as silent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.domain.checkins import STOPWORDS
from bot.domain.clock import Clock
from bot.domain.erased import is_erased
from bot.domain.errors import BadInput
from bot.domain.roles import Role
from bot.domain.weeks import week_of
from bot.services import deliveries
from bot.services.common import require_chair, require_group
from storage.models import CheckinAnswer, Delivery, Group, Member
from storage.uow import UnitOfWork

KINDS = ("checkin_escalation",)
SILENT, CONCERN = "silent", "concern"
MIN_WEEKS, MAX_WEEKS = 2, 12
LOOK_BACK = timedelta(weeks=MAX_WEEKS + 2)  # groups whose check-ins ran this recently are looked at
# How far back a run is traced: a run's first week names it (the delivery's period), so it must not slide
# while the run goes on; check-in answers are kept 12 months by default, so a year is all there is.
HISTORY = timedelta(weeks=52)
WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass(frozen=True)
class Run:
    """A home's run of weeks: silent, or with the same concern."""

    kind: str
    user_id: str
    home: str
    manager: str
    since: date
    weeks: int
    concern: str = ""


@dataclass(frozen=True)
class EscalationJob:
    id: int
    kind: str
    to: str
    group_id: int
    group: str
    run: Run
    uncertain: bool
    attempt: int = 0


def set_threshold(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, weeks: int) -> int:
    now = clock.now()
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise BadInput("escalate_usage", given=str(weeks))
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "checkin.escalate", now)
        group.checkin_escalate_weeks = weeks
        uow.audit.record(now, actor, "checkin.escalate", "ok", group.id, weeks=weeks)
        uow.commit()
        return weeks


def runs(uow: UnitOfWork, group: Group, now: datetime) -> list[Run]:
    """The runs that have reached the group's threshold, as of the weeks closed by now."""
    need = group.checkin_escalate_weeks
    closed = [w.week_start for w in uow.reports.checkin_weeks_since(group.id, week_of(now, group.timezone) - HISTORY)
              if w.digest_at is not None and w.digest_at <= now]
    if len(closed) < need:
        return []
    answers: dict[str, dict[date, CheckinAnswer]] = defaultdict(dict)
    for week, answer in uow.reports.checkin_answers(group.id, since=closed[0]):
        answers[answer.user_id][week] = answer
    away = uow.checkins.away(group.id)
    found = []
    for m in uow.groups.members(group.id):
        if m.role != Role.MANAGER.value or is_erased(m.user_id):
            continue
        weeks = [w for w in closed if w >= week_of(m.joined_at, group.timezone)]
        mine = answers.get(m.user_id, {})
        home, manager = m.organisation or (m.display_name or "A care home"), m.display_name or "their manager"
        silent = _trailing(weeks, lambda w: w not in mine)  # noqa: B023 - used at once
        if len(silent) >= need and not (m.user_id in away and away[m.user_id] >= now.date()):
            found.append(Run(SILENT, m.user_id, home, manager, silent[0], len(silent)))
        elif (streak := _concern(weeks, mine))[1] and len(streak[1]) >= need:
            found.append(Run(CONCERN, m.user_id, home, manager, streak[1][0], len(streak[1]), streak[0]))
    return found


def _trailing(weeks: list[date], holds: Callable[[date], bool]) -> list[date]:
    """The latest weeks for which `holds` is true without a break, oldest first."""
    out: list[date] = []
    for w in reversed(weeks):
        if not holds(w):
            break
        out.append(w)
    return out[::-1]


def _concern(weeks: list[date], mine: dict[date, CheckinAnswer]) -> tuple[str, list[date]]:
    """The concern shared by the longest run of latest weeks, and those weeks (oldest first)."""
    shared: set[str] | None = None
    run: list[date] = []
    for w in reversed(weeks):
        answer = mine.get(w)
        found = terms(str(((answer.answers if answer else {}).get("not_working") or {}).get("text") or ""))
        narrowed = found if shared is None else shared & found
        if not narrowed:
            break
        shared, run = narrowed, [w, *run]
    if not shared:
        return "", []
    return sorted(shared, key=lambda t: (-len(t.split()), -len(t), t))[0], run


def terms(text: str) -> set[str]:
    """Words (over 3 letters) and two-word phrases of a text, without common words: what a concern is made of."""
    words = [w.strip("'-") for w in WORD.findall(text.lower())]
    found = {w for w in words if w not in STOPWORDS and len(w) > 3}
    return found | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                    if a not in STOPWORDS and b not in STOPWORDS}


def plan_due(uow: UnitOfWork, clock: Clock) -> int:
    """Record an escalation DM to each chair for every run that reached the threshold; returns how many."""
    now = clock.now()
    planned = 0
    with uow:
        for group in uow.reports.groups_with_checkins(now - LOOK_BACK):
            chairs = [m.user_id for m in uow.groups.members(group.id) if _chair(m)]
            for run in runs(uow, group, now):
                period = f"{run.kind}:{run.user_id}:{run.since.isoformat()}"
                for chair in chairs:
                    if not deliveries.planned(uow, KINDS[0], chair, group.id, period):
                        planned += deliveries.plan(uow, KINDS[0], chair, group.id, period, now)
        uow.commit()
    return planned


def _chair(m: Member) -> bool:
    return Role(m.role).runs_meetings and not is_erased(m.user_id)


def claim_due(uow: UnitOfWork, clock: Clock, limit: int = 25) -> list[EscalationJob]:
    """Take due escalations; one whose home has answered since (or changed its concern) is cancelled."""
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, KINDS, limit, lambda d, uncertain: _job(uow, d, uncertain, now))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool, now: datetime) -> EscalationJob | None:
    group = uow.groups.get(d.group_id)
    if group is None:
        return None
    kind, user_id, since = d.period.split(":", 2)
    current = {(r.kind, r.user_id, r.since.isoformat()): r for r in runs(uow, group, now)}
    run = current.get((kind, user_id, since))
    if run is None:
        return None
    return replace(EscalationJob(d.id, d.kind, d.user_id, group.id, group.name, run, uncertain))
