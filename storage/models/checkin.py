"""Weekly check-ins: each group's schedule, the weeks, managers' answers (with every edit kept), and the
deliveries the scheduler makes (recorded before sending, marked when Slack confirms)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, SlackId


class CheckinSchedule(Base):
    __tablename__ = "checkin_schedules"
    __table_args__ = (UniqueConstraint("group_id"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    weekday: Mapped[int]  # 0 = Monday
    at_time: Mapped[str] = mapped_column(String(5))  # "09:00", local wall time in `timezone`
    timezone: Mapped[Key]
    paused: Mapped[bool] = mapped_column(default=False, server_default="0")
    skipped_weeks: Mapped[list[str]]  # ISO dates of the Mondays of weeks with no check-in
    reminder_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    digest_hours: Mapped[int] = mapped_column(default=48, server_default="48")
    # Weeks whose send time is before this are never sent by the clock: setting a schedule on a
    # Wednesday for Mondays does not send this week's check-in two days late.
    active_from: Mapped[datetime]
    updated_by: Mapped[SlackId]
    updated_at: Mapped[datetime]


class CheckinWeek(Base):
    """One group's check-in for one week (keyed by the local Monday); the counts are its response rate."""

    __tablename__ = "checkin_weeks"
    __table_args__ = (UniqueConstraint("group_id", "week_start"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date]
    opened_at: Mapped[datetime | None]  # when the DMs were planned (None: someone answered before they went out)
    reminder_at: Mapped[datetime | None]
    digest_at: Mapped[datetime | None]
    reminders_planned: Mapped[bool] = mapped_column(default=False, server_default="0")
    digest_planned: Mapped[bool] = mapped_column(default=False, server_default="0")
    invited: Mapped[int | None]
    answered: Mapped[int | None]
    away: Mapped[int | None]


class CheckinAnswer(Base):
    """A manager's answers for a week: {question key: {"text": ..., "chair_only": bool}}."""

    __tablename__ = "checkin_answers"
    __table_args__ = (UniqueConstraint("week_id", "user_id"),)

    id: Mapped[IntPk]
    week_id: Mapped[int] = mapped_column(ForeignKey("checkin_weeks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[SlackId]
    answers: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CheckinAnswerVersion(Base):
    """Every submission, kept: answering again edits the answer, and the earlier words stay here."""

    __tablename__ = "checkin_answer_versions"
    __table_args__ = (UniqueConstraint("answer_id", "version"),)

    id: Mapped[IntPk]
    answer_id: Mapped[int] = mapped_column(ForeignKey("checkin_answers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    answers: Mapped[dict[str, Any]]
    view_id: Mapped[SlackId | None]
    submitted_at: Mapped[datetime]


class AwayPeriod(Base):
    """A manager away (holiday, leave): no check-in DMs or reminders before `until`."""

    __tablename__ = "away_periods"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[SlackId]
    until: Mapped[date]
    set_at: Mapped[datetime]


class Delivery(Base):
    """A message the scheduler sends, by natural key (kind, user, group, period): never sent twice.

    `user_id` is the person DMed, or the group's channel for messages to the channel.

    pending -> claimed (held by a process; certainly not sent) -> sending (committed just before the call to
    Slack, so Slack may have it) -> sent, or failed (retried from `next_attempt_at` with back-off), or
    cancelled (no longer wanted). A held row's `lease_until` is renewed by its holder while it works: once
    it lapses another process takes the row over, looking a `sending` one up in Slack before sending.
    `attempts` counts claims and is the current claim's token (bot/services/deliveries.py).
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("kind", "user_id", "group_id", "period"),)

    id: Mapped[IntPk]
    # check-in: checkin | reminder | digest | digest_channel; between meetings (bot/domain/reminders.Kind):
    # action_due | action_overdue | report_back | meeting_eve
    kind: Mapped[Key]
    user_id: Mapped[SlackId]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    period: Mapped[Key]  # check-in: the week's Monday (ISO); reminders: the action and due date, or the meeting time
    status: Mapped[Key] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    channel_id: Mapped[SlackId | None]
    ts: Mapped[SlackId | None]
    last_error: Mapped[Key | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
