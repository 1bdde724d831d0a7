"""Queries behind the action-plan export, the progress report and the check-in trends: a fixed number of
queries per report, whatever the size of the group's history (bench/report.py measures it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from storage.models import (
    AgreementVersion,
    Attendance,
    CheckinAnswer,
    CheckinWeek,
    Contribution,
    Group,
    Meeting,
    Signature,
)
from storage.repositories import _Repo


class Reports(_Repo):
    def meetings(self, group_id: int) -> Sequence[Meeting]:
        return self.session.scalars(select(Meeting).filter_by(group_id=group_id).order_by(Meeting.number)).all()

    def present_counts(self, group_id: int) -> dict[int, int]:
        """Meeting id -> how many were present."""
        q = (select(Attendance.meeting_id, func.count()).join(Meeting, Meeting.id == Attendance.meeting_id)
             .where(Meeting.group_id == group_id, Attendance.status == "present").group_by(Attendance.meeting_id))
        return {m: n for m, n in self.session.execute(q).all()}

    def signature_counts(self, group_id: int) -> list[tuple[AgreementVersion, int]]:
        """Each agreement version with how many have signed it, oldest first."""
        q = (select(AgreementVersion, func.count(Signature.id))
             .outerjoin(Signature, Signature.agreement_version_id == AgreementVersion.id)
             .where(AgreementVersion.group_id == group_id).group_by(AgreementVersion.id)
             .order_by(AgreementVersion.version))
        return [(v, n) for v, n in self.session.execute(q).all()]

    def feedback_ratings(self, group_id: int) -> list[tuple[int, dict[str, Any] | None]]:
        """(meeting id, the feedback's details) of every feedback given, not withdrawn or held."""
        q = (select(Contribution.meeting_id, Contribution.details).join(Meeting, Meeting.id == Contribution.meeting_id)
             .where(Meeting.group_id == group_id, Contribution.stage == "feedback",
                    Contribution.withdrawn.is_(False), Contribution.held.is_(False)))
        return [(int(row[0]), row[1]) for row in self.session.execute(q).all()]

    def checkin_answers(self, group_id: int, since: date | None = None) -> list[tuple[date, CheckinAnswer]]:
        """Every manager's answer, with the week it answers, oldest week first."""
        q = (select(CheckinWeek.week_start, CheckinAnswer).join(CheckinWeek, CheckinWeek.id == CheckinAnswer.week_id)
             .where(CheckinWeek.group_id == group_id).order_by(CheckinWeek.week_start, CheckinAnswer.user_id))
        if since is not None:
            q = q.where(CheckinWeek.week_start >= since)
        return [(w, a) for w, a in self.session.execute(q).all()]

    def checkin_weeks_since(self, group_id: int, since: date) -> Sequence[CheckinWeek]:
        return self.session.scalars(select(CheckinWeek).where(CheckinWeek.group_id == group_id,
                                                              CheckinWeek.week_start >= since)
                                    .order_by(CheckinWeek.week_start)).all()

    def scheduled_groups(self) -> Sequence[Group]:
        """Groups that post their progress report by themselves."""
        return self.session.scalars(select(Group).where(Group.report_every_months.is_not(None))
                                    .order_by(Group.id)).all()

    def groups_with_checkins(self, since: datetime) -> Sequence[Group]:
        """Groups with a check-in week opened since `since`: the ones whose trends may call for an escalation."""
        q = (select(Group).where(Group.id.in_(select(CheckinWeek.group_id)
                                              .where(CheckinWeek.opened_at >= since))).order_by(Group.id))
        return self.session.scalars(q).all()
