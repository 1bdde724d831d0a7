"""Workspaces in a multi-workspace install: which workspace a group lives in, and stopping one that left."""

from __future__ import annotations

from bot.domain.clock import Clock
from storage.uow import UnitOfWork


def team_of_group(uow: UnitOfWork, group_id: int) -> str | None:
    with uow:
        group = uow.groups.get(group_id)
        return group.team_id if group else None


def stop_workspace(uow: UnitOfWork, clock: Clock, *, team_id: str, why: str) -> int:
    """The app was uninstalled from a workspace (or its bot token revoked): cancel every delivery planned
    for its groups, and audit it; returns how many were cancelled. What is planned later for its groups
    is cancelled when claimed, as long as the workspace has no bot token (handlers/workspaces.py)."""
    with uow:
        cancelled = uow.deliveries.cancel_for_team(team_id)
        uow.audit.record(clock.now(), "slack", "workspace.stopped", "ok", team_id=team_id, why=why,
                         cancelled=cancelled)
        uow.commit()
        return cancelled


def cancel_for_missing_workspace(uow: UnitOfWork, clock: Clock, delivery_id: int, attempt: int) -> None:
    """A claimed delivery whose workspace has no bot token any more: cancelled, never retried."""
    with uow:
        d = uow.deliveries.get(delivery_id)
        if d is not None and d.attempts == attempt and d.status in ("claimed", "sending"):
            d.status, d.last_error, d.lease_until = "cancelled", "workspace uninstalled", None
            uow.commit()
