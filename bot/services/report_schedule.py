"""`/group report every 6 months`: the progress report posted by itself, once per period.

The group stores how often and from when; each period is a `Delivery` row (kind `progress_report`, to the
group's channel, period = the day it falls due) planned by the scheduler's tick, so a restart or a second
scheduler posts it once. A report missed while the clock process was down is posted when it comes back,
but only the latest period's: never a burst of old ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.domain.clock import Clock
from bot.domain.errors import BadInput
from bot.services import deliveries, report
from bot.services.common import require_chair, require_group
from storage.models import Delivery, Group
from storage.uow import UnitOfWork

KIND = "progress_report"
MAX_MONTHS = 24


@dataclass(frozen=True)
class ReportSchedule:
    group: str
    months: int | None
    next_at: str | None  # the next report's day, in the group's time zone


@dataclass(frozen=True)
class ReportJob:
    id: int
    kind: str
    to: str  # the group's channel
    group_id: int
    group: str
    period: str
    uncertain: bool
    attempt: int = 0


def set_schedule(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                 months: int | None) -> ReportSchedule:
    """Post the report every `months` months from now on (None: stop); chairs only, audited."""
    now = clock.now()
    if months is not None and not 1 <= months <= MAX_MONTHS:
        raise BadInput("report_every_usage", given=str(months))
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "group.report_schedule", now)
        group.report_every_months, group.report_from = months, (now if months else None)
        uow.audit.record(now, actor, "group.report_schedule", "ok", group.id, months=months)
        uow.commit()
        return ReportSchedule(group.name, months, _day(group, next_due(group, now)))


def next_due(group: Group, now: datetime) -> datetime | None:
    if not group.report_every_months or group.report_from is None:
        return None
    n = _periods(group, now) + 1
    return group.report_from + relativedelta(months=n * group.report_every_months)


def due_period(group: Group, now: datetime) -> str | None:
    """The latest period that has fallen due (the day it did, ISO), or None before the first."""
    if not group.report_every_months or group.report_from is None:
        return None
    n = _periods(group, now)
    return (group.report_from + relativedelta(months=n * group.report_every_months)).date().isoformat() if n else None


def _periods(group: Group, now: datetime) -> int:
    assert group.report_every_months and group.report_from
    n = 0
    while group.report_from + relativedelta(months=(n + 1) * group.report_every_months) <= now:
        n += 1
    return n


def plan_due(uow: UnitOfWork, clock: Clock) -> int:
    now = clock.now()
    planned = 0
    with uow:
        for group in uow.reports.scheduled_groups():
            period = due_period(group, now)
            if period and not deliveries.planned(uow, KIND, group.channel_id, group.id, period):
                planned += deliveries.plan(uow, KIND, group.channel_id, group.id, period, now)
        uow.commit()
    return planned


def claim_due(uow: UnitOfWork, clock: Clock, limit: int = 5) -> list[ReportJob]:
    """Take due reports for this process; one whose group stopped its schedule, or whose period has been
    overtaken by a later one, is cancelled."""
    now = clock.now()
    with uow:
        jobs = deliveries.claim(uow, now, (KIND,), limit, lambda d, uncertain: _job(uow, d, uncertain, now))
        uow.commit()
        return jobs


def _job(uow: UnitOfWork, d: Delivery, uncertain: bool, now: datetime) -> ReportJob | None:
    group = uow.groups.get(d.group_id)
    if group is None or due_period(group, now) != d.period:
        return None
    return ReportJob(d.id, d.kind, group.channel_id, group.id, group.name, d.period, uncertain)


def scheduled_report(uow: UnitOfWork, clock: Clock, job: ReportJob) -> report.ReportData:
    """The report for a due period, since the last one; recorded as the group's latest report."""
    now = clock.now()
    with uow:
        group = uow.groups.get(job.group_id)
        assert group is not None
        data = report.build(uow, group, now)
        group.last_report_at = now
        uow.audit.record(now, "scheduler", "group.report", "ok", group.id, period=job.period)
        uow.commit()
        return data


def _day(group: Group, moment: datetime | None) -> str | None:
    return moment.astimezone(ZoneInfo(group.timezone)).strftime("%A %-d %B %Y") if moment else None
