"""Setting a group up, roles and organisations, and the member list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.roles import Role
from bot.domain.snapshots import GroupSnap
from bot.services.common import Reader, check_reader, ensure_member, group_snap, require_chair, require_group
from storage.models import Group, Member
from storage.uow import UnitOfWork

MAX_NAME = 80


@dataclass(frozen=True)
class GroupSetup:
    name: str
    theme_set: str
    timezone: str
    chair: str
    co_chairs: tuple[str, ...] = ()


def validate_setup(setup: GroupSetup, theme_sets: frozenset[str]) -> dict[str, str]:
    """Field -> error code for everything wrong with a setup form (empty when it is fine)."""
    errors: dict[str, str] = {}
    if not setup.name.strip():
        errors["name"] = "group_name_empty"
    elif len(setup.name.strip()) > MAX_NAME:
        errors["name"] = "group_name_long"
    if setup.theme_set not in theme_sets:
        errors["theme_set"] = "unknown_theme_set"
    try:
        ZoneInfo(setup.timezone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "unknown_timezone"
    if not setup.chair:
        errors["chair"] = "chair_missing"
    return errors


def find_group(uow: UnitOfWork, team_id: str, channel_id: str) -> GroupSnap | None:
    with uow:
        group = uow.groups.by_channel(team_id, channel_id)
        return group_snap(uow, group) if group else None


def setup_form(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
               direct: bool = False) -> GroupSnap | None:
    """The group to pre-fill the setup form with (None for a new one); only chairs may change a group.

    A group lives in a channel: set up in a direct message (`direct`) it would have no one else in it.
    """
    with uow:
        _refuse_direct(uow, clock.now(), actor, direct or channel_id.startswith("D"))
        group = uow.groups.by_channel(team_id, channel_id)
        if group is None:
            return None
        require_chair(uow, group, actor, "group.setup", clock.now())
        return group_snap(uow, group)


def setup_group(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                setup: GroupSetup) -> GroupSnap:
    """Create the channel's group, or change it (chairs only once it exists)."""
    now = clock.now()
    with uow:
        _refuse_direct(uow, now, actor, channel_id.startswith("D"))
        group = uow.groups.by_channel(team_id, channel_id)
        if group is None:
            group = uow.groups.add(Group(team_id=team_id, channel_id=channel_id, name=setup.name.strip(),
                                         theme_set=setup.theme_set, timezone=setup.timezone.strip(),
                                         created_by=actor, created_at=now))
            action = "group.create"
        else:
            require_chair(uow, group, actor, "group.setup", now)
            group.name, group.theme_set = setup.name.strip(), setup.theme_set
            group.timezone = setup.timezone.strip()
            action = "group.update"
        _assign_chairs(uow, group, setup, now)
        ensure_member(uow, group, actor, now)
        uow.audit.record(now, actor, action, "ok", group.id, theme_set=setup.theme_set)
        uow.commit()
        return group_snap(uow, group)


def _refuse_direct(uow: UnitOfWork, now: datetime, actor: str, direct: bool) -> None:
    if direct:
        uow.audit.record(now, actor, "group.setup", "refused", None, reason="not_in_channel")
        uow.commit()
        raise DomainError("setup_not_in_channel")


def _assign_chairs(uow: UnitOfWork, group: Group, setup: GroupSetup, now: datetime) -> None:
    wanted = {setup.chair: Role.CHAIR, **{u: Role.CO_CHAIR for u in setup.co_chairs if u != setup.chair}}
    for member in uow.groups.members(group.id):
        if Role(member.role).runs_meetings and member.user_id not in wanted:
            member.role = Role.MEMBER.value  # the form is the whole list of chairs
    for user_id, role in wanted.items():
        ensure_member(uow, group, user_id, now).role = role.value


def set_role(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, user_id: str,
             role: Role, organisation: str | None, in_channel: bool) -> GroupSnap:
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "group.role", now)
        if not in_channel:
            uow.audit.record(now, actor, "group.role", "refused", group.id, reason="not_in_channel",
                             target=user_id)
            uow.commit()
            raise BadInput("user_not_in_channel", user=user_id)
        member = uow.groups.member(group.id, user_id)
        chairs = [m for m in uow.groups.members(group.id) if m.role == Role.CHAIR.value]
        if member is not None and member.role == Role.CHAIR.value and role is not Role.CHAIR \
                and len(chairs) == 1:
            raise DomainError("last_chair", user=user_id)
        member = member or uow.groups.add(Member(group_id=group.id, user_id=user_id, role=role.value,
                                                 organisation=None, display_name=None, joined_at=now))
        member.role = role.value
        if organisation:
            member.organisation = organisation
        uow.audit.record(now, actor, "group.role", "ok", group.id, target=user_id, role=role.value)
        uow.commit()
        return group_snap(uow, group)


def group_members(uow: UnitOfWork, *, team_id: str, channel_id: str, reader: Reader | None = None) -> GroupSnap:
    """The group and its members (`/group members`: members only, when a reader asks)."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        return group_snap(uow, group)


def remember_names(uow: UnitOfWork, group_id: int, names: dict[str, str]) -> None:
    """Store display names looked up from Slack, so cards and minutes show names, not ids."""
    with uow:
        for member in uow.groups.members(group_id):
            if member.user_id in names and names[member.user_id]:
                member.display_name = names[member.user_id][:200]
        uow.commit()


def join_group(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, user_id: str) -> bool:
    """A person joined the group's channel; True if they are new to the group."""
    with uow:
        group = uow.groups.by_channel(team_id, channel_id)
        if group is None or uow.groups.member(group.id, user_id) is not None:
            return False
        ensure_member(uow, group, user_id, clock.now())
        uow.commit()
        return True
