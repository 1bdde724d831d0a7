"""A group's own retention settings: months per kind of record, over the deployment's defaults."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, SlackId


class RetentionSetting(Base):
    """One kind's months for one group (bot/domain/retention.py names the kinds); goes with the group."""

    __tablename__ = "retention_settings"
    __table_args__ = (UniqueConstraint("group_id", "kind"),)

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Key]
    months: Mapped[int]
    set_by: Mapped[SlackId]
    set_at: Mapped[datetime]
