"""Helpers every service uses: find the group, check a role (audited refusal), snapshot rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import DomainError, NotAllowed
from bot.domain.roles import Role
from bot.domain.snapshots import GroupSnap, MeetingSnap, MemberSnap
from storage.models import Group, Meeting, Member
from storage.uow import UnitOfWork


def group_snap(uow: UnitOfWork, group: Group) -> GroupSnap:
    members = tuple(member_snap(m) for m in uow.groups.members(group.id))
    return GroupSnap(group.id, group.team_id, group.channel_id, group.name, group.theme_set, group.timezone,
                     members, group.checkin_share_channel, group.minutes_name_feedback)


def member_snap(m: Member) -> MemberSnap:
    return MemberSnap(m.user_id, Role(m.role), m.organisation, m.display_name)


def meeting_snap(m: Meeting) -> MeetingSnap:
    return MeetingSnap(m.id, m.group_id, m.number, m.status, m.stage, m.is_follow_up, m.started_at, m.ended_at)


def require_group(uow: UnitOfWork, team_id: str, channel_id: str) -> Group:
    group = uow.groups.by_channel(team_id, channel_id)
    if group is None:
        raise DomainError("no_group")
    return group


def chair_and_running_meeting(uow: UnitOfWork, team_id: str, channel_id: str, actor: str, action: str,
                              now: datetime) -> tuple[Group, Meeting]:
    """The channel's group and its running meeting, for something only a chair may do to it."""
    group = require_group(uow, team_id, channel_id)
    require_chair(uow, group, actor, action, now)
    meeting = uow.meetings.running(group.id)
    if meeting is None:
        raise DomainError("no_meeting")
    return group, meeting


def ensure_member(uow: UnitOfWork, group: Group, user_id: str, now: datetime) -> Member:
    """Anyone who takes part in the group's channel becomes a member (role `member`) on first sight."""
    member = uow.groups.member(group.id, user_id)
    if member is None:
        # Two first contributions at once (a double click, two events) race to add the same person.
        uow.groups.add_unique(Member(group_id=group.id, user_id=user_id, role=Role.MEMBER.value,
                                     organisation=None, display_name=None, joined_at=now))
        member = uow.groups.member(group.id, user_id)
        assert member is not None
    return member


def require_chair(uow: UnitOfWork, group: Group, actor: str, action: str, now: datetime) -> None:
    """Refuse (and audit the refusal) unless `actor` is the chair or a co-chair."""
    member = uow.groups.member(group.id, actor)
    if member is not None and Role(member.role).runs_meetings:
        return
    uow.audit.record(now, actor, action, "refused", group.id, reason="not_chair")
    uow.commit()
    chairs = [m for m in uow.groups.members(group.id) if Role(m.role).runs_meetings]
    raise NotAllowed("not_chair", chairs=[m.user_id for m in chairs], action=action)


def require_member(uow: UnitOfWork, group: Group, actor: str, action: str, now: datetime,
                   in_channel: Callable[[], bool] | None = None) -> None:
    """Refuse (and audit the refusal) unless `actor` may read the group's record.

    A reader is a member when they are in the group's member table, or, failing that, in the group's
    channel right now (`in_channel` asks Slack, only for people the table does not know): the channel is
    where the group meets, so whoever is in it already sees what the bot posts there.
    """
    if uow.groups.member(group.id, actor) is not None or (in_channel is not None and in_channel()):
        return
    uow.audit.record(now, actor, action, "refused", group.id, reason="not_member")
    uow.commit()
    chairs = [m for m in uow.groups.members(group.id) if Role(m.role).runs_meetings]
    raise NotAllowed("not_member", chairs=[m.user_id for m in chairs], action=action)


@dataclass(frozen=True)
class Reader:
    """Someone asking to read the group's record (`action` names the read, for the audit log)."""

    user_id: str
    action: str
    now: datetime
    in_channel: Callable[[], bool] | None = None


def check_reader(uow: UnitOfWork, group: Group, reader: Reader | None) -> None:
    """Services that show the group's record take an optional reader; internal callers pass none."""
    if reader is not None:
        require_member(uow, group, reader.user_id, reader.action, reader.now, reader.in_channel)
