"""Queries of the homes' self-assessments and the chairs' rounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import Assessment, AssessmentRound, ForwardPlan, Group
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

    # Data protection: `/group my data` and `/group forget` (bot/services/subject_access.py, erasure.py).
    def of_person(self, team_id: str, user_id: str) -> Sequence[Any]:
        """(Assessment, Group) rows the person answered, in every group of the workspace."""
        q = (select(Assessment, Group).join(Group, Group.id == Assessment.group_id)
             .where(Group.team_id == team_id, Assessment.user_id == user_id).order_by(Assessment.id))
        return self.session.execute(q).all()

    def plans_of_person(self, team_id: str, user_id: str) -> Sequence[Any]:
        q = (select(ForwardPlan, Group).join(Group, Group.id == ForwardPlan.group_id)
             .where(Group.team_id == team_id, ForwardPlan.user_id == user_id).order_by(ForwardPlan.id))
        return self.session.execute(q).all()

    def erase(self, group_id: int, user_id: str, pseudonym: str, label: str) -> int:
        """Their words go (evidence, who took part, every plan answer, the check's note) and their id and home
        become the pseudonym and `label`; the levels stay, so the group's spread over time stays true."""
        changed = 0
        for a in self.session.scalars(select(Assessment).filter_by(group_id=group_id, user_id=user_id)):
            a.answers = {theme: {"level": (answer or {}).get("level"), "evidence": "", "who": ""}
                         for theme, answer in a.answers.items()}
            a.user_id, a.home = pseudonym, label
            changed += 1
        for plan in self.session.scalars(select(ForwardPlan).filter_by(group_id=group_id, user_id=user_id)):
            plan.answers, plan.user_id = {}, pseudonym
            if plan.check_answer:
                plan.check_answer = {"seen": plan.check_answer.get("seen"), "note": ""}
            changed += 1
        return changed
