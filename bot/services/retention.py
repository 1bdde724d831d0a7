"""The retention schedule: a group's schedule shown and changed, and the daily run that deletes what is past it.

What the run deletes and what it keeps (README, "Data protection"): check-in answers by the week they answer;
contributions and feedback by the meeting they were said in (who attended stays, the words they checked in
with go); finished deliveries and ended away periods; audit entries; and a group nobody has touched for its
whole period, with everything of it. Minutes as published, actions and their report-backs, agreements,
ground rules and signatures are the group's record: kept while the group exists, and go with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.retention import DEFAULTS, Kind, cutoff, parse_setting, schedule
from bot.services.common import Reader, check_reader, require_chair, require_group
from storage.models import Group
from storage.uow import UnitOfWork

BATCH = 500  # rows a transaction deletes: short transactions, short locks, on a live database
ACTOR = "retention"  # the audit log's actor for the daily run (not a Slack id: no person did it)
FOREVER = timedelta(days=366 * 1000)  # "before this" for a group being deleted: every row it has


@dataclass(frozen=True)
class KindSetting:
    kind: Kind
    months: int
    own: bool  # the group set it (rather than the deployment's default)
    default: int  # the deployment's months for the kind


@dataclass(frozen=True)
class GroupRetention:
    group: str
    settings: tuple[KindSetting, ...]
    changed: Kind | None = None


@dataclass(frozen=True)
class RetentionRun:
    deleted: Mapping[str, int]  # rows by kind; "group" counts whole groups
    groups: int  # groups looked at


def group_retention(uow: UnitOfWork, *, team_id: str, channel_id: str, reader: Reader,
                    defaults: Mapping[Kind, int] = DEFAULTS) -> GroupRetention:
    """The channel's group's schedule, for its members (or anyone in its channel); anyone else is refused, and
    the refusal audited (bot/services/common.py)."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        return _snap(uow, group, defaults)


def set_group_retention(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, text: str,
                        defaults: Mapping[Kind, int] = DEFAULTS) -> GroupRetention:
    """`/group retention <kind> <months|default>` (chairs): set one kind's months for this group, audited."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "retention.set", now)
        kind, months = parse_setting(text)
        before = schedule(defaults, uow.retention.settings(group.id))[kind]
        uow.retention.put(group.id, kind.value, months, actor, now)
        after = schedule(defaults, uow.retention.settings(group.id))[kind]
        uow.audit.record(now, actor, "retention.set", "ok", group.id, kind=kind.value, months=after, was=before,
                         default=months is None)
        uow.commit()
        return _snap(uow, group, defaults, changed=kind)


def _snap(uow: UnitOfWork, group: Group, defaults: Mapping[Kind, int], changed: Kind | None = None) -> GroupRetention:
    own = uow.retention.settings(group.id)
    months, default = schedule(defaults, own), schedule(defaults, {})
    return GroupRetention(group.name, tuple(KindSetting(k, months[k], k.value in own, default[k]) for k in Kind),
                          changed)


UowFactory = Callable[[], UnitOfWork]


def run_retention(uow: UowFactory, clock: Clock, defaults: Mapping[Kind, int] = DEFAULTS,
                  batch: int = BATCH) -> RetentionRun:
    """Delete everything past its time, group by group, in batches of `batch` rows; audit the run (counts only)."""
    now = clock.now()
    with uow() as w:
        group_ids = w.retention.group_ids()
    deleted: Counter[str] = Counter({k.value: 0 for k in Kind})
    for group_id in group_ids:
        with uow() as w:
            months = schedule(defaults, w.retention.settings(group_id))
            idle = w.retention.last_activity(group_id) < cutoff(now, months[Kind.GROUP])
        if idle:
            deleted.update(_purge_group(uow, now, group_id, batch))
            continue
        deleted.update(_expire(uow, group_id, {k: cutoff(now, m) for k, m in months.items()}, batch))
    # Entries of no group, or of a group already gone, follow the deployment's default.
    deleted[Kind.AUDIT.value] += _batches(uow, lambda w, t: w.retention.delete_audit(None, t, batch),
                                          cutoff(now, defaults.get(Kind.AUDIT, DEFAULTS[Kind.AUDIT])), batch)
    with uow() as w:
        w.audit.record(now, ACTOR, "retention.run", "ok", None, deleted=dict(deleted), groups=len(group_ids))
        w.commit()
    return RetentionRun(dict(deleted), len(group_ids))


def _expire(uow: UowFactory, group_id: int, before: Mapping[Kind, datetime], batch: int) -> Counter[str]:
    """One group's rows older than their kind's cutoff, for the kinds in `before`."""
    steps: dict[Kind, list[Callable[[UnitOfWork, datetime], int]]] = {
        Kind.CHECKINS: [lambda w, t: w.retention.delete_checkin_answers(group_id, t.date(), batch)],
        Kind.CONTRIBUTIONS: [lambda w, t: w.retention.delete_contributions(group_id, t, feedback=False, limit=batch),
                             lambda w, t: w.retention.clear_feelings(group_id, t, batch)],
        Kind.FEEDBACK: [lambda w, t: w.retention.delete_contributions(group_id, t, feedback=True, limit=batch)],
        Kind.DELIVERIES: [lambda w, t: w.retention.delete_deliveries(group_id, t, batch),
                          lambda w, t: w.retention.delete_away(group_id, t.date(), batch)],
        Kind.AUDIT: [lambda w, t: w.retention.delete_audit(group_id, t, batch)],
    }
    counts: Counter[str] = Counter()
    for kind, at in before.items():
        for step in steps.get(kind, []):
            counts[kind.value] += _batches(uow, step, at, batch)
    return counts


def _purge_group(uow: UowFactory, now: datetime, group_id: int, batch: int) -> Counter[str]:
    """A group idle past its period: its large tables emptied in batches, then the group row, whose
    ON DELETE CASCADE takes the rest (meetings, minutes, actions, members, settings). Its audit entries
    stay under the audit schedule: they say what happened, with no member text."""
    counts = _expire(uow, group_id, {k: now + FOREVER for k in Kind if k not in (Kind.AUDIT, Kind.GROUP)}, batch)
    with uow() as w:
        w.audit.record(now, ACTOR, "retention.group_deleted", "ok", group_id, rows=dict(counts))
        gone = w.retention.delete_group(group_id)
        w.commit()
    counts[Kind.GROUP.value] += gone
    return counts


def _batches(uow: UowFactory, step: Callable[[UnitOfWork, datetime], int], before: datetime, batch: int) -> int:
    """Run `step` in one transaction after another until a batch comes back short; how many rows in all."""
    total = 0
    while True:
        with uow() as w:
            n = step(w, before)
            w.commit()
        total += n
        if n < batch:
            return total
