"""Actions: what the group agreed to do, with an owner and the agency best placed to deliver it."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, ShortText, SlackId


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("group_id", "number"), UniqueConstraint("request_key"))

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # shown as A-<number>; stable and short, per group
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text)
    theme: Mapped[ShortText | None]
    owner_id: Mapped[SlackId] = mapped_column(index=True)
    agency: Mapped[ShortText | None]
    agency_in_group: Mapped[bool] = mapped_column(default=True)
    volunteer_id: Mapped[SlackId | None]
    prerequisites: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None]
    status: Mapped[Key] = mapped_column(default="not-started")
    source: Mapped[Key]  # modal | command
    request_key: Mapped[str | None] = mapped_column(Text)  # the modal's view id or the command's, for retries
    created_by: Mapped[SlackId]
    created_at: Mapped[datetime]


class ActionUpdate(Base):
    """A report back on an action: kept forever, so the action's history can be shown and minuted."""

    __tablename__ = "action_updates"
    __table_args__ = (UniqueConstraint("request_key"),)

    id: Mapped[IntPk]
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    author: Mapped[SlackId]
    old_status: Mapped[Key]
    new_status: Mapped[Key]
    note: Mapped[str | None] = mapped_column(Text)
    new_due_date: Mapped[date | None]
    request_key: Mapped[str | None] = mapped_column(Text)  # the command's trigger or the modal's view id
    at: Mapped[datetime]
