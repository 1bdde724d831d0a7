"""Queries of the retention schedule: a group's own settings, what is past its time, and deleting it in batches.

Every delete takes at most `limit` rows, chosen by id, so a run never holds a long transaction or a large
lock; the service commits between batches (bot/services/retention.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update

from bot.domain.stages import StageKey
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
    Group,
    Meeting,
    Member,
    RetentionSetting,
    Signature,
)
from storage.repositories import _Repo

FEEDBACK = StageKey.FEEDBACK.value
# A delivery in any other state may still be sent (or looked up in Slack after a crash): never deleted.
DONE = ("sent", "cancelled", "abandoned")


class Retention(_Repo):
    def settings(self, group_id: int) -> dict[str, int]:
        q = select(RetentionSetting.kind, RetentionSetting.months).filter_by(group_id=group_id)
        return {kind: months for kind, months in self.session.execute(q).all()}

    def put(self, group_id: int, kind: str, months: int | None, by: str, at: datetime) -> None:
        """Set the group's months for `kind`, or (None) go back to the deployment's default."""
        row = self.session.scalar(select(RetentionSetting).filter_by(group_id=group_id, kind=kind))
        if months is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            # Two chairs setting the same kind at once: the second finds the first's row and updates it.
            if not self.add_unique(RetentionSetting(group_id=group_id, kind=kind, months=months, set_by=by,
                                                    set_at=at)):
                self.put(group_id, kind, months, by, at)
        else:
            row.months, row.set_by, row.set_at = months, by, at
        self.session.flush()

    def group_ids(self) -> Sequence[int]:
        return self.session.scalars(select(Group.id).order_by(Group.id)).all()

    def created_at(self, group_id: int) -> datetime | None:
        return self.session.scalar(select(Group.created_at).filter_by(id=group_id))

    def last_activity(self, group_id: int) -> datetime:
        """The latest moment anyone did anything in the group: set it up, joined, met, wrote, answered,
        reported, signed, scheduled, or took a privileged step. Messages the bot sent do not count."""
        meetings = select(Meeting.id).filter_by(group_id=group_id)
        actions = select(Action.id).filter_by(group_id=group_id)
        weeks = select(CheckinWeek.id).filter_by(group_id=group_id)
        versions = select(AgreementVersion.id).filter_by(group_id=group_id)
        queries: list[Select[Any]] = [
            select(func.max(Group.created_at)).filter_by(id=group_id),
            select(func.max(Group.next_meeting_at)).filter_by(id=group_id),
            select(func.max(Group.next_meeting_set_at)).filter_by(id=group_id),
            select(func.max(Member.joined_at)).filter_by(group_id=group_id),
            select(func.max(func.coalesce(Meeting.ended_at, Meeting.started_at))).filter_by(group_id=group_id),
            select(func.max(Contribution.updated_at)).where(Contribution.meeting_id.in_(meetings)),
            select(func.max(Action.created_at)).filter_by(group_id=group_id),
            select(func.max(ActionUpdate.at)).where(ActionUpdate.action_id.in_(actions)),
            select(func.max(CheckinAnswer.updated_at)).where(CheckinAnswer.week_id.in_(weeks)),
            select(func.max(Signature.signed_at)).where(Signature.agreement_version_id.in_(versions)),
            select(func.max(AuditEntry.at)).filter_by(group_id=group_id),
        ]
        moments = [m for q in queries if (m := self.session.scalar(q)) is not None]
        return max(moments)

    def delete_checkin_answers(self, group_id: int, weeks_before: date, limit: int) -> int:
        """Answers (with every earlier version) for weeks starting before `weeks_before`. The weeks stay:
        they hold only counts, the group's response rate over time."""
        q = (select(CheckinAnswer.id).join(CheckinWeek, CheckinWeek.id == CheckinAnswer.week_id)
             .where(CheckinWeek.group_id == group_id, CheckinWeek.week_start < weeks_before))
        ids = self.session.scalars(q.order_by(CheckinAnswer.id).limit(limit)).all()
        if ids:
            self._delete(delete(CheckinAnswerVersion).where(CheckinAnswerVersion.answer_id.in_(ids)))
            self._delete(delete(CheckinAnswer).where(CheckinAnswer.id.in_(ids)))
        return len(ids)

    def delete_contributions(self, group_id: int, met_before: datetime, *, feedback: bool, limit: int) -> int:
        """Contributions (or only feedback) to the group's meetings that started before `met_before`."""
        stage = Contribution.stage == FEEDBACK if feedback else Contribution.stage != FEEDBACK
        q = select(Contribution.id).where(Contribution.meeting_id.in_(self._meetings(group_id, met_before)), stage)
        return self._delete_ids(Contribution, q, limit)

    def clear_feelings(self, group_id: int, met_before: datetime, limit: int) -> int:
        """The words people checked in with; who attended stays (the minutes list it)."""
        q = select(Attendance.id).where(Attendance.meeting_id.in_(self._meetings(group_id, met_before)),
                                        Attendance.feeling.is_not(None))
        ids = self.session.scalars(q.order_by(Attendance.id).limit(limit)).all()
        if ids:
            self._delete(update(Attendance).where(Attendance.id.in_(ids)).values(feeling=None))
        return len(ids)

    def delete_deliveries(self, group_id: int, created_before: datetime, limit: int) -> int:
        """Finished deliveries (sent, cancelled, given up). Each reminder's window closes within weeks of its
        row being made, so a missing row can never make the planner send it again."""
        q = select(Delivery.id).where(Delivery.group_id == group_id, Delivery.status.in_(DONE),
                                      Delivery.created_at < created_before)
        return self._delete_ids(Delivery, q, limit)

    def delete_away(self, group_id: int, ended_before: date, limit: int) -> int:
        q = select(AwayPeriod.id).where(AwayPeriod.group_id == group_id, AwayPeriod.until < ended_before)
        return self._delete_ids(AwayPeriod, q, limit)

    def delete_audit(self, group_id: int | None, before: datetime, limit: int) -> int:
        """The group's audit entries older than `before`; with None, entries of no group or of a group that
        no longer exists."""
        if group_id is None:
            whose = or_(AuditEntry.group_id.is_(None), AuditEntry.group_id.not_in(select(Group.id)))
        else:
            whose = AuditEntry.group_id == group_id
        return self._delete_ids(AuditEntry, select(AuditEntry.id).where(whose, AuditEntry.at < before), limit)

    def delete_group(self, group_id: int) -> int:
        """The group itself and, by the schema's ON DELETE CASCADE, everything still hanging off it."""
        return self._delete(delete(Group).where(Group.id == group_id))

    def _meetings(self, group_id: int, started_before: datetime) -> Select[Any]:
        return select(Meeting.id).where(Meeting.group_id == group_id, Meeting.started_at < started_before)

    def _delete_ids(self, model: Any, q: Select[Any], limit: int) -> int:
        ids = self.session.scalars(q.order_by(model.id).limit(limit)).all()
        if ids:
            self._delete(delete(model).where(model.id.in_(ids)))
        return len(ids)

    def _delete(self, statement: Any) -> int:
        result: Any = self.session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)
