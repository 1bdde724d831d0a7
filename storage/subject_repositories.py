"""Queries for a subject-access request: every row that is about one person, across the team's groups.

Rows are matched by the person's Slack id in the columns that say who did something (author, owner,
signer, actor...), and returned with the group (and meeting) they belong to, so the file can say where.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select

from storage.models import (
    Action,
    ActionUpdate,
    AgreementVersion,
    Attendance,
    AuditEntry,
    AwayPeriod,
    CheckinAnswer,
    CheckinAnswerVersion,
    CheckinWeek,
    Contribution,
    Delivery,
    GroundRulesVersion,
    Group,
    InboxItem,
    Meeting,
    Member,
    Signature,
)
from storage.repositories import _Repo

Row = tuple[Any, ...]


class SubjectData(_Repo):
    def memberships(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(Member, Group).join(Group, Group.id == Member.group_id)
             .where(Group.team_id == team_id, Member.user_id == user_id).order_by(Group.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def attendance(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(Attendance, Meeting, Group).join(Meeting, Meeting.id == Attendance.meeting_id)
             .join(Group, Group.id == Meeting.group_id)
             .where(Group.team_id == team_id, Attendance.user_id == user_id).order_by(Attendance.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def contributions(self, team_id: str, user_id: str) -> Sequence[Row]:
        """Every contribution they made, withdrawn ones included (the record keeps them)."""
        q = (select(Contribution, Meeting, Group).join(Meeting, Meeting.id == Contribution.meeting_id)
             .join(Group, Group.id == Meeting.group_id)
             .where(Group.team_id == team_id, Contribution.user_id == user_id).order_by(Contribution.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def actions(self, team_id: str, user_id: str) -> Sequence[Row]:
        """Actions they own, volunteered for, or wrote."""
        q = (select(Action, Group).join(Group, Group.id == Action.group_id)
             .where(Group.team_id == team_id, or_(Action.owner_id == user_id, Action.volunteer_id == user_id,
                                                  Action.created_by == user_id))
             .order_by(Group.id, Action.number))
        return [tuple(r) for r in self.session.execute(q).all()]

    def action_updates(self, team_id: str, user_id: str, action_ids: Sequence[int]) -> Sequence[Row]:
        """Updates they wrote (on anyone's action), and updates on the actions in `action_ids`."""
        q = (select(ActionUpdate, Action, Group).join(Action, Action.id == ActionUpdate.action_id)
             .join(Group, Group.id == Action.group_id)
             .where(Group.team_id == team_id,
                    or_(ActionUpdate.author == user_id, ActionUpdate.action_id.in_(list(action_ids))))
             .order_by(ActionUpdate.at, ActionUpdate.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def checkin_answers(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(CheckinAnswer, CheckinWeek, Group).join(CheckinWeek, CheckinWeek.id == CheckinAnswer.week_id)
             .join(Group, Group.id == CheckinWeek.group_id)
             .where(Group.team_id == team_id, CheckinAnswer.user_id == user_id).order_by(CheckinAnswer.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def answer_versions(self, answer_ids: Sequence[int]) -> Sequence[CheckinAnswerVersion]:
        q = (select(CheckinAnswerVersion).where(CheckinAnswerVersion.answer_id.in_(list(answer_ids)))
             .order_by(CheckinAnswerVersion.answer_id, CheckinAnswerVersion.version))
        return self.session.scalars(q).all()

    def away_periods(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(AwayPeriod, Group).join(Group, Group.id == AwayPeriod.group_id)
             .where(Group.team_id == team_id, AwayPeriod.user_id == user_id).order_by(AwayPeriod.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def signatures(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(Signature, AgreementVersion, Group)
             .join(AgreementVersion, AgreementVersion.id == Signature.agreement_version_id)
             .join(Group, Group.id == AgreementVersion.group_id)
             .where(Group.team_id == team_id, Signature.user_id == user_id).order_by(Signature.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def rules_adopted(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(GroundRulesVersion, Group).join(Group, Group.id == GroundRulesVersion.group_id)
             .where(Group.team_id == team_id, GroundRulesVersion.adopted_by == user_id)
             .order_by(GroundRulesVersion.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def agreements_published(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(AgreementVersion, Group).join(Group, Group.id == AgreementVersion.group_id)
             .where(Group.team_id == team_id, AgreementVersion.published_by == user_id)
             .order_by(AgreementVersion.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def deliveries(self, team_id: str, user_id: str) -> Sequence[Row]:
        q = (select(Delivery, Group).join(Group, Group.id == Delivery.group_id)
             .where(Group.team_id == team_id, Delivery.user_id == user_id).order_by(Delivery.id))
        return [tuple(r) for r in self.session.execute(q).all()]

    def audit(self, user_id: str) -> Sequence[AuditEntry]:
        return self.session.scalars(select(AuditEntry).filter_by(actor=user_id).order_by(AuditEntry.id)).all()

    def pending_requests(self, user_id: str, exclude: int | None) -> Sequence[InboxItem]:
        """Requests not yet handled whose body names them (a handled request's body is already gone).

        Few rows are ever pending, so the bodies are searched here rather than with a LIKE over bytes,
        which SQLite and PostgreSQL treat differently."""
        q = select(InboxItem).where(InboxItem.handled_at.is_(None), InboxItem.body.is_not(None))
        mine = user_id.encode()
        return [i for i in self.session.scalars(q.order_by(InboxItem.id)).all()
                if i.id != exclude and i.body is not None and mine in i.body]
