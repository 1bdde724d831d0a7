"""Meetings, the cards they posted, attendance and contributions."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, ShortText, SlackId

RUNNING = text("status = 'running'")


class Meeting(Base):
    """A group's meeting. At most one per group is running: a partial unique index says so, so two
    concurrent `/meeting start`s cannot both succeed whatever the timing (migration 0007)."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        Index("uq_meetings_one_running", "group_id", unique=True, sqlite_where=RUNNING, postgresql_where=RUNNING),
    )

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[Key]  # running | ended
    stage: Mapped[Key]
    is_follow_up: Mapped[bool]
    started_by: Mapped[SlackId]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    themes: Mapped[list[str] | None]  # the themes this meeting covers, in order; None means the whole set
    theme_step: Mapped[int] = mapped_column(default=0, server_default="0")  # position in the (theme, question) walk
    next_meeting_at: Mapped[datetime | None]


class StageCard(Base):
    """A channel message posted for a stage. Recorded before posting; `ts` is set once Slack answers."""

    __tablename__ = "stage_cards"
    __table_args__ = (UniqueConstraint("channel_id", "ts"),)

    id: Mapped[IntPk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Key]
    theme: Mapped[ShortText | None]  # for a themes card: which theme and which question
    question: Mapped[Key | None]
    # for a report-back card: the action it asks about (one card per open action)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    channel_id: Mapped[SlackId]
    ts: Mapped[SlackId | None]
    created_at: Mapped[datetime]
    # Redraws across processes (handlers/publish.py, bot/services/redraws.py), on a slot's first card: asks
    # are counted, the count a redraw showed is recorded, and one holder at a time redraws, under a lease
    # (its token and expiry) that lapses if its process dies mid-redraw (migration 0016).
    redraw_requested: Mapped[int] = mapped_column(default=0, server_default="0")
    redrawn_version: Mapped[int] = mapped_column(default=0, server_default="0")
    redraw_holder: Mapped[SlackId | None]
    redraw_lease_until: Mapped[datetime | None]


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[IntPk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[SlackId]
    status: Mapped[Key]  # present | apologies
    organisation: Mapped[ShortText | None]
    feeling: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class Contribution(Base):
    """Something a member said in a stage: a thread reply (keyed by its ts) or a modal (by view id)."""

    __tablename__ = "contributions"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_ts"),
        UniqueConstraint("view_id"),
    )

    id: Mapped[IntPk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Key]
    theme: Mapped[ShortText | None]
    question: Mapped[Key | None]
    user_id: Mapped[SlackId]
    text: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None]  # feedback: takeaway and rating
    source: Mapped[Key]  # thread | modal
    channel_id: Mapped[SlackId | None]
    message_ts: Mapped[SlackId | None]
    view_id: Mapped[SlackId | None]
    withdrawn: Mapped[bool] = mapped_column(default=False)
    # It may identify a resident (bot/domain/guardrail.py): stored, but out of cards, minutes and exports
    # until its author edits it, keeps it as written or removes it (migration 0011).
    held: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Minutes(Base):
    """The minutes as published when the meeting closed (Markdown), kept as the record."""

    __tablename__ = "minutes"
    __table_args__ = (UniqueConstraint("meeting_id"),)

    id: Mapped[IntPk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    markdown: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
