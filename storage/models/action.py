"""Actions: what the group agreed to do, with an owner and the agency best placed to deliver it."""

from datetime import date, datetime
from typing import Any

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
    # Kept up to date by /actions edit (bot/services/action_edits.py); every change is an ActionEdit row.
    objective: Mapped[str | None] = mapped_column(Text)  # "objective / area of improvement"; None: the theme
    milestone: Mapped[str | None] = mapped_column(Text)  # what we will achieve in year 1
    target_text: Mapped[ShortText | None]  # the target as written ("by end of July"); due_date is its reading
    responsible_users: Mapped[list[str] | None]  # Slack users responsible besides the owner
    responsible_text: Mapped[str | None] = mapped_column(Text)  # organisations, unfilled posts, as written
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))


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


class ActionEdit(Base):
    """A change to an action's plan (an edit, a reassignment, a merge, a drop): what, by whom, when."""

    __tablename__ = "action_edits"
    __table_args__ = (UniqueConstraint("request_key"),)

    id: Mapped[IntPk]
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    author: Mapped[SlackId]
    kind: Mapped[Key]  # edit | merge | merged | drop
    changes: Mapped[dict[str, Any]]  # field -> [before, after], as shown back
    request_key: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
