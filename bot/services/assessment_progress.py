"""Where the homes stand over time: each home's level per theme across its completed assessments, and
the group's spread per theme (each home's latest assessment). Chairs see every home, named; a manager
sees their own home; the spread names no home, which is what the meeting's theme card shows."""

from __future__ import annotations

from bot.domain.assessment import HomeLevels, Progress, Scale, spread
from bot.domain.clock import Clock
from bot.domain.errors import NotAllowed
from bot.domain.roles import Role
from bot.domain.weeks import zone
from bot.services.assessments import ScaleFor
from storage.models import Group
from storage.uow import UnitOfWork


def progress(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, user_id: str,
             scale_for: ScaleFor, group_id: int | None = None) -> Progress:
    """The table's and chart's data for this person: refused (and audited) unless chair or manager."""
    now = clock.now()
    with uow:
        if group_id is not None:
            found = uow.groups.get(group_id)
            groups = [found] if found else []
        else:
            here = uow.groups.by_channel(team_id, channel_id)
            groups = [here] if here else list(uow.groups.for_user(team_id, user_id))
        for group in groups:
            member = uow.groups.member(group.id, user_id)
            if member is not None and (Role(member.role).runs_meetings or member.role == Role.MANAGER.value):
                return group_progress(uow, group, scale_for(group.theme_set),
                                      None if Role(member.role).runs_meetings else user_id)
        uow.audit.record(now, user_id, "assess.progress", "refused", groups[0].id if groups else None,
                         reason="not_chair_or_manager")
        uow.commit()
        raise NotAllowed("assess_progress_not_allowed")


def group_progress(uow: UnitOfWork, group: Group, scale: Scale, only: str | None = None) -> Progress:
    """In an open unit of work: `only` a manager's home, or every home (None)."""
    names = scale.names
    tz = zone(group.timezone)
    rows = [(a.user_id, HomeLevels(a.home, (a.completed_at or a.updated_at).astimezone(tz).date(),
                                   tuple((a.answers.get(n) or {}).get("level") for n in names)))
            for a in uow.assessments.completed(group.id)]
    latest = {user: levels for user, levels in rows}  # oldest first, so each home's latest wins
    shown = tuple(levels for user, levels in rows if only is None or user == only)
    return Progress(group.name, names, shown, spread(list(latest.values()), len(names)), only is None)


def theme_spread(uow: UnitOfWork, group: Group, scale: Scale, theme: str) -> tuple[int, ...] | None:
    """The spread for one theme (the meeting's theme card), or None when no home has assessed itself yet."""
    if theme not in scale.names:
        return None
    p = group_progress(uow, group, scale)
    counts = p.spread[scale.names.index(theme)]
    return counts if sum(counts) else None


def home_levels(uow: UnitOfWork, group: Group, user_id: str, role: Role) -> Progress | None:
    """For App Home, in an open unit of work: a chair's whole group, a manager's home, nobody else's.

    The themes are the latest assessment's own (its answers keep the form's order), so Home needs no
    templates; None when there is nothing to show this person.
    """
    if not (role.runs_meetings or role is Role.MANAGER):
        return None
    done = uow.assessments.completed(group.id)
    if not done:
        return None
    names = tuple(done[-1].answers)
    p = group_progress(uow, group, Scale(done[-1].theme_set, "", "", tuple((n, ()) for n in names)),
                       None if role.runs_meetings else user_id)
    return p if p.assessments else None


def theme_levels(uow: UnitOfWork, group: Group, theme: str | None) -> tuple[int, ...] | None:
    """For the meeting's theme card, in an open unit of work: how many homes' latest completed assessments
    sit at levels 1..4 for this theme; None when no home has assessed it (then the card says nothing)."""
    if not theme:
        return None
    latest = {a.user_id: a for a in uow.assessments.completed(group.id)}  # oldest first: each home's latest wins
    levels = [(a.answers.get(theme) or {}).get("level") for a in latest.values()]
    counts = tuple(sum(1 for lv in levels if lv == n) for n in range(1, 5))
    return counts if sum(counts) else None
