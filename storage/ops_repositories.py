"""Queries for operating the bot (the /metrics endpoint): counts, never anything members wrote."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Delivery


def delivery_counts(session: Session) -> dict[str, int]:
    """How many scheduled messages are in each state (pending, claimed, sending, sent, failed, ...)."""
    rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {str(status): int(count) for status, count in rows}
