"""Reading a group's audit log (`/group audit`): the chairs see who did or tried what, when, and how it went.

The log holds no member text (ids, action names, outcomes and small facts such as a version number), and
it names people who were refused, so it is shown only to the group's chairs and co-chairs, privately.
Reading it is itself audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.clock import Clock
from bot.domain.errors import BadInput
from bot.services.common import require_chair, require_group
from storage.uow import UnitOfWork

DEFAULT_LINES, MOST_LINES = 20, 100


@dataclass(frozen=True)
class AuditLine:
    at: datetime  # UTC
    actor: str
    action: str
    outcome: str  # ok | refused
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditLog:
    group: str
    timezone: str
    lines: tuple[AuditLine, ...]  # oldest first


def parse_count(text: str) -> int:
    """`/group audit [n]`: how many entries (default 20, at most 100)."""
    if not text:
        return DEFAULT_LINES
    if not text.isdigit() or not 1 <= int(text) <= MOST_LINES:
        raise BadInput("audit_usage", given=text, most=MOST_LINES)
    return int(text)


def recent_entries(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                   count: int) -> AuditLog:
    """The group's last `count` entries, for a chair (refusals audited)."""
    return _read(uow, clock, team_id, channel_id, actor, "audit.read", count)


def all_entries(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> AuditLog:
    """The group's whole audit log, for the CSV a chair gets by DM."""
    return _read(uow, clock, team_id, channel_id, actor, "audit.export", None)


def _read(uow: UnitOfWork, clock: Clock, team_id: str, channel_id: str, actor: str, action: str,
          count: int | None) -> AuditLog:
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, action, now)
        rows = uow.audit.recent(group.id, count) if count is not None else uow.audit.entries(group.id)
        lines = tuple(AuditLine(r.at, r.actor, r.action, r.outcome, dict(r.detail or {})) for r in rows)
        uow.audit.record(now, actor, action, "ok", group.id, entries=len(lines))
        uow.commit()
        return AuditLog(group.name, group.timezone, lines)
