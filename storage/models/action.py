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
