"""The inbox: every request a person sent, written and committed before Slack gets its acknowledgement."""

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk


class InboxItem(Base):
    """One request from Slack (event, slash command, click, form), kept until it has been handled.

    `key` makes a repeated delivery (Slack's retry of an event, an identical request sent twice) a no-op.
    `body` is what the person sent, exactly as Slack sent it, so that a request acknowledged by a process
    that then died can be handled by the next one; it is emptied as soon as the request is handled (it
    holds member text, which is kept only in the tables that need it). `handled_at` is set in the same
    transaction as the request's first write, which is what makes a re-run after a crash a no-op.
    """

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_pending", "handled_at", "id"),)

    id: Mapped[IntPk]
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    content_type: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    received_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    handled_at: Mapped[datetime | None]
