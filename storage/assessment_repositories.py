"""Queries of the homes' self-assessments and the chairs' rounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import Assessment, AssessmentRound
from storage.repositories import _Repo


class Assessments(_Repo):
    def draft(self, group_id: int, user_id: str) -> Assessment | None:
        """The manager's unfinished assessment in this group, if any (there is at most one)."""
        q = select(Assessment).filter_by(group_id=group_id, user_id=user_id, completed_at=None)
        return self.session.scalar(q.order_by(Assessment.id.desc()).limit(1))

    def completed(self, group_id: int) -> Sequence[Assessment]:
        """The group's completed assessments, oldest first: the levels over time."""
        q = select(Assessment).where(Assessment.group_id == group_id, Assessment.completed_at.is_not(None))
        return self.session.scalars(q.order_by(Assessment.completed_at, Assessment.id)).all()

    def completed_since(self, group_id: int, user_id: str, since: datetime) -> bool:
        q = select(Assessment.id).where(Assessment.group_id == group_id, Assessment.user_id == user_id,
                                        Assessment.completed_at >= since)
        return self.session.scalar(q.limit(1)) is not None

    def round(self, round_id: int) -> AssessmentRound | None:
        return self.session.get(AssessmentRound, round_id)
