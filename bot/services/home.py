"""What a person's App Home shows (spec §4): what waits for them (actions to report on, agreements to sign,
this week's check-in), then each of their groups with its meeting and, for chairs, the group at a glance.

Open actions come from `reports.my_open_actions` (what `/actions` lists) and the agreement from
`stage_state.agreement_snap` (what the agreement message shows), so the Home tab never disagrees with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.action_status import Status
from bot.domain.assessment import Progress
from bot.domain.clock import Clock
from bot.domain.roles import Role
from bot.domain.snapshots import AgreementSnap, GroupSnap, MeetingSnap
from bot.domain.weeks import week_of, zone
from bot.services.assessment_progress import home_levels
from bot.services.common import group_snap, meeting_snap
from bot.services.reports import MyAction, is_overdue, my_open_actions
from bot.services.stage_state import agreement_snap
from storage.models import CheckinWeek, Group
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class CheckinToAnswer:
    group_id: int
    group: str
    week: date  # the local Monday


@dataclass(frozen=True)
class Glance:
    """A group's status for its chairs: actions by status, who has not signed, this week's check-in."""

    open: int
    overdue: int
    done: int
    agreement: AgreementSnap | None  # the current version, with `unsigned` = expected signers still to sign
    checkin: tuple[int, int] | None  # (answered, expected) when this week's check-in has gone out


@dataclass(frozen=True)
class HomeGroup:
    group: GroupSnap
    role: Role
    meeting: MeetingSnap | None  # the running meeting, if any
    to_sign: AgreementSnap | None  # the current agreement, when this person is expected to sign and has not
    next_meeting_at: datetime | None  # UTC, only when still in the future
    glance: Glance | None = None  # chairs and co-chairs only
    levels: Progress | None = None  # self-assessment levels: a chair's whole group, a manager's own home


@dataclass(frozen=True)
class Home:
    actions: tuple[MyAction, ...]
    checkins: tuple[CheckinToAnswer, ...]
    groups: tuple[HomeGroup, ...]

    @property
    def to_sign(self) -> tuple[HomeGroup, ...]:
        return tuple(g for g in self.groups if g.to_sign is not None)


def home_for(uow: UnitOfWork, clock: Clock, *, team_id: str, user_id: str) -> Home:
    now = clock.now()
    mine = my_open_actions(uow, clock, team_id=team_id, user_id=user_id)
    with uow:
        groups, checkins = [], []
        for group in uow.groups.for_user(team_id, user_id):
            member = uow.groups.member(group.id, user_id)
            assert member is not None
            role = Role(member.role)
            current = uow.agreements.current(group.id)
            agreement = agreement_snap(uow, current) if current else None
            running = uow.meetings.running(group.id)
            upcoming = group.next_meeting_at if group.next_meeting_at and group.next_meeting_at > now else None
            week = _this_week(uow, group, now)
            groups.append(HomeGroup(
                group_snap(uow, group), role, meeting_snap(running) if running else None,
                agreement if agreement and user_id in agreement.unsigned else None, upcoming,
                _glance(uow, group, agreement, week, now) if role.runs_meetings else None,
                home_levels(uow, group, user_id, role)))
            if role is Role.MANAGER and week and _waiting_for(uow, group, week, user_id, now):
                checkins.append(CheckinToAnswer(group.id, group.name, week.week_start))
        return Home(mine, tuple(checkins), tuple(groups))


def _this_week(uow: UnitOfWork, group: Group, now: datetime) -> CheckinWeek | None:
    """This week's check-in if it has gone out and is still open (its digest not yet sent)."""
    row = uow.checkins.week(group.id, week_of(now, group.timezone))
    return row if row is not None and row.opened_at is not None and not row.digest_planned else None


def _away(uow: UnitOfWork, group: Group, now: datetime) -> set[str]:
    today = now.astimezone(zone(group.timezone)).date()
    return {u for u, until in uow.checkins.away(group.id).items() if until > today}


def _waiting_for(uow: UnitOfWork, group: Group, week: CheckinWeek, user_id: str, now: datetime) -> bool:
    return uow.checkins.answer(week.id, user_id) is None and user_id not in _away(uow, group, now)


def _glance(uow: UnitOfWork, group: Group, agreement: AgreementSnap | None, week: CheckinWeek | None,
            now: datetime) -> Glance:
    actions = uow.actions.for_group(group.id)
    still_open = [a for a in actions if Status(a.status).open]
    checkin = None
    if week is not None:
        managers = [m.user_id for m in uow.groups.members(group.id) if m.role == Role.MANAGER.value]
        answered = {a.user_id for a in uow.checkins.answers(week.id)}
        away = _away(uow, group, now)
        # As the digest counts: managers who answered, out of those not away (or who answered anyway).
        checkin = (sum(u in answered for u in managers), sum(u in answered or u not in away for u in managers))
    return Glance(len(still_open), sum(is_overdue(a, group, now) for a in still_open),
                  sum(a.status == Status.DONE for a in actions), agreement, checkin)
