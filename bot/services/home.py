"""What a person's App Home shows: their groups, each group's meeting, and agreements awaiting their signature."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.snapshots import AgreementSnap, GroupSnap, MeetingSnap
from bot.services.common import group_snap, meeting_snap
from bot.services.stage_state import agreement_snap
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class HomeGroup:
    group: GroupSnap
    role: str
    meeting: MeetingSnap | None  # the running meeting, if any
    to_sign: AgreementSnap | None  # the current agreement, when this person has not signed it


def home_for(uow: UnitOfWork, *, team_id: str, user_id: str) -> tuple[HomeGroup, ...]:
    with uow:
        out = []
        for group in uow.groups.for_user(team_id, user_id):
            member = uow.groups.member(group.id, user_id)
            assert member is not None
            running = uow.meetings.running(group.id)
            current = uow.agreements.current(group.id)
            snap = agreement_snap(uow, current) if current else None
            to_sign = snap if snap and all(u != user_id for u, _ in snap.signed) else None
            out.append(HomeGroup(group_snap(uow, group), member.role, meeting_snap(running) if running else None,
                                 to_sign))
        return tuple(out)
