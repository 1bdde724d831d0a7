"""Groups (one Slack channel each) and their members with roles."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, ShortText, SlackId


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[IntPk]
    team_id: Mapped[SlackId]
    channel_id: Mapped[SlackId]
    name: Mapped[ShortText]
    theme_set: Mapped[Key]
    timezone: Mapped[Key]
    created_by: Mapped[SlackId]
    created_at: Mapped[datetime]
    # The next meeting as the chair scheduled it (`/meeting schedule`), in UTC; reminders key on it.
    next_meeting_at: Mapped[datetime | None]
    next_meeting_set_by: Mapped[SlackId | None]
    next_meeting_set_at: Mapped[datetime | None]
    # Privacy settings, both off by default (the narrow choice): `/checkin share channel on` also posts a
    # summary of the week's check-in in the channel (counts and recurring topics, never names or answers);
    # `/group settings feedback-names on` shows names beside feedback in the minutes posted to the channel.
    checkin_share_channel: Mapped[bool] = mapped_column(default=False, server_default="0")
    minutes_name_feedback: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The progress report (`/group report every 6 months`): how often it is posted by itself, counted in
    # whole months from `report_from`; `last_report_at` starts the next report's "done since" highlights.
    report_every_months: Mapped[int | None]
    report_from: Mapped[datetime | None]
    last_report_at: Mapped[datetime | None]
    # Check-in trends: the chairs are told when a home has not answered, or raised the same concern, for
    # this many weeks running (`/checkin escalate after <n> weeks`).
    checkin_escalate_weeks: Mapped[int] = mapped_column(default=3, server_default="3")


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[SlackId] = mapped_column(index=True)
    role: Mapped[Key]
    organisation: Mapped[ShortText | None]
    display_name: Mapped[ShortText | None]
    joined_at: Mapped[datetime]
    # Set by `/group forget` (bot/services/erasure.py): the row stays so the record reads "a former member",
    # with user_id replaced by a pseudonym and the organisation cleared.
    erased_at: Mapped[datetime | None]
