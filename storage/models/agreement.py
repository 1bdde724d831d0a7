"""Ground-rules versions, partnership-agreement versions and signatures: all kept forever."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, SlackId


class GroundRulesVersion(Base):
    __tablename__ = "ground_rules_versions"
    __table_args__ = (UniqueConstraint("group_id", "version"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    rules: Mapped[list[str]]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    adopted_by: Mapped[SlackId]
    adopted_at: Mapped[datetime]


class AgreementVersion(Base):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("group_id", "version"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    published_by: Mapped[SlackId]
    published_at: Mapped[datetime]
    channel_id: Mapped[SlackId | None]
    message_ts: Mapped[SlackId | None]


class Signature(Base):
    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("agreement_version_id", "user_id"),)

    id: Mapped[IntPk]
    agreement_version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[SlackId]
    signed_at: Mapped[datetime]
