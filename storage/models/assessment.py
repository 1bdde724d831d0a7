"""The homes' self-assessments (shared/seeds/000): rounds opened by the chair, and each home's answers.

A manager's assessment is a draft until every theme has a level, the evidence and who was involved;
then it is completed and kept as it is: the next one is a new row, so the levels over time are the rows.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IntPk, Key, SlackId


class AssessmentRound(Base):
    """A chair asked every home to assess itself: each manager is DMed once and reminded once."""

    __tablename__ = "assessment_rounds"

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    opened_by: Mapped[SlackId]
    opened_at: Mapped[datetime]
    remind_at: Mapped[datetime]


class Assessment(Base):
    """One home's assessment: {theme name: {"level": 1-4 | None, "evidence": str, "who": str}}."""

    __tablename__ = "assessments"

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[SlackId] = mapped_column(index=True)  # the manager who answered for the home
    home: Mapped[str] = mapped_column(String(200))  # their organisation when they answered
    round_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="SET NULL"))
    theme_set: Mapped[Key]
    answers: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class ForwardPlan(Base):
    """"Take the challenge" for one theme of an assessment: the eight answers, the action its first step
    became (if the manager chose), and the check three months on: was the expected change seen?"""

    __tablename__ = "forward_plans"

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[SlackId] = mapped_column(index=True)
    theme: Mapped[str] = mapped_column(String(200))
    answers: Mapped[dict[str, Any]]  # question key -> text (bot.domain.assessment.PLAN_QUESTIONS)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    check_on: Mapped[date]  # the local day the 3-month check is DMed
    check_answer: Mapped[dict[str, Any] | None]  # {"seen": yes | partly | not_yet, "note": str}
    checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
