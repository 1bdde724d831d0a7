"""The append-only audit log and the record of Slack events already processed."""

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, SlackId


class AuditEntry(Base):
    """Who did (or tried to do) what, when. Never updated; deleted only by the retention schedule (years:
    bot/domain/retention.py). Holds no user-written text."""

    __tablename__ = "audit_log"

    id: Mapped[IntPk]
    at: Mapped[datetime] = mapped_column(index=True)
    group_id: Mapped[int | None]
    actor: Mapped[SlackId]
    action: Mapped[Key]
    outcome: Mapped[Key]  # ok | refused
    detail: Mapped[dict[str, Any]]


class ProcessedEvent(Base):
    """Slack re-sends events it thinks we missed; the event id makes the second copy a no-op."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]
