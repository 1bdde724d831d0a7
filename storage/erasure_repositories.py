"""Queries for erasing one person from one group's record (`/group forget`).

Their free text is emptied, and their Slack id is replaced by a pseudonym in every row of the group
that says who did something, so nothing the bot shows afterwards can name or mention them. Rows stay
(withdrawn, unassigned, "a former member") so that the group's record still adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from storage.models import (
    Action,
    ActionEdit,
    ActionUpdate,
    AgreementVersion,
    Attendance,
    AuditEntry,
    AwayPeriod,
    CheckinAnswer,
    CheckinAnswerVersion,
    CheckinSchedule,
    CheckinWeek,
    Contribution,
    Delivery,
    GroundRulesVersion,
    Group,
    InboxItem,
    Meeting,
    Member,
    Minutes,
    Signature,
)
from storage.repositories import _Repo

NOT_SENT = ("pending", "claimed", "failed")


def _meetings(group_id: int) -> Any:
    return select(Meeting.id).where(Meeting.group_id == group_id).scalar_subquery()


def _actions(group_id: int) -> Any:
    return select(Action.id).where(Action.group_id == group_id).scalar_subquery()


def _weeks(group_id: int) -> Any:
    return select(CheckinWeek.id).where(CheckinWeek.group_id == group_id).scalar_subquery()


class Erasure(_Repo):
    def counts(self, group_id: int, user_id: str) -> dict[str, int]:
        """What erasure would remove or reassign, per kind (what the confirmation shows)."""
        said = select(Contribution.stage, func.count()).where(
            Contribution.meeting_id.in_(_meetings(group_id)), Contribution.user_id == user_id,
            Contribution.text != "").group_by(Contribution.stage)
        by_stage = {stage: int(n) for stage, n in self.session.execute(said).all()}
        return {
            "contributions": sum(n for s, n in by_stage.items() if s not in ("themes", "feedback")),
            "theme_answers": by_stage.get("themes", 0),
            "feedback": by_stage.get("feedback", 0),
            "check_in_words": self._count(Attendance, Attendance.meeting_id.in_(_meetings(group_id)),
                                          Attendance.user_id == user_id, Attendance.feeling.is_not(None)),
            "action_notes": self._count(ActionUpdate, ActionUpdate.action_id.in_(_actions(group_id)),
                                        ActionUpdate.author == user_id, ActionUpdate.note.is_not(None)),
            "checkin_answers": self._count(CheckinAnswer, CheckinAnswer.week_id.in_(_weeks(group_id)),
                                           CheckinAnswer.user_id == user_id),
            "actions_owned": self._count(Action, Action.group_id == group_id, Action.owner_id == user_id),
        }

    def texts(self, group_id: int, user_id: str) -> list[str]:
        """What the person wrote in the group, read before it is erased: to scrub copies kept elsewhere."""
        meetings = _meetings(group_id)
        said = self.session.execute(select(Contribution.text, Contribution.details).where(
            Contribution.meeting_id.in_(meetings), Contribution.user_id == user_id)).all()
        out: list[str | None] = [str(t) for t, _ in said]
        out += [str(d.get("takeaway") or "") for _, d in said if isinstance(d, dict)]
        out += self.session.scalars(select(Attendance.feeling).where(
            Attendance.meeting_id.in_(meetings), Attendance.user_id == user_id)).all()
        out += self.session.scalars(select(ActionUpdate.note).where(
            ActionUpdate.action_id.in_(_actions(group_id)), ActionUpdate.author == user_id)).all()
        member = self.session.scalar(select(Member).filter_by(group_id=group_id, user_id=user_id))
        out += [member.display_name, member.organisation] if member else []
        return [str(t) for t in out if t]

    def _count(self, model: Any, *where: Any) -> int:
        return int(self.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    def erase(self, group_id: int, member: Member, pseudonym: str, label: str, removed: str, now: datetime) -> int:
        """Empty the person's text and replace their id in the group's rows; the number of rows changed."""
        user_id = member.user_id
        meetings, actions, weeks = _meetings(group_id), _actions(group_id), _weeks(group_id)
        changed = [
            self._set(Contribution, [Contribution.meeting_id.in_(meetings), Contribution.user_id == user_id],
                      text="", details=None, withdrawn=True, user_id=pseudonym, channel_id=None, message_ts=None,
                      view_id=None, updated_at=now),
            self._set(Attendance, [Attendance.meeting_id.in_(meetings), Attendance.user_id == user_id],
                      user_id=pseudonym, organisation=None, feeling=None),
            self._set(ActionUpdate, [ActionUpdate.action_id.in_(actions), ActionUpdate.author == user_id],
                      author=pseudonym, note=None),
            self._set(CheckinAnswerVersion, [CheckinAnswerVersion.answer_id.in_(
                select(CheckinAnswer.id).where(CheckinAnswer.week_id.in_(weeks), CheckinAnswer.user_id == user_id)
                .scalar_subquery())], answers={}, view_id=None),
            self._set(CheckinAnswer, [CheckinAnswer.week_id.in_(weeks), CheckinAnswer.user_id == user_id],
                      answers={}, user_id=pseudonym),
            self._set(Delivery, [Delivery.group_id == group_id, Delivery.user_id == user_id,
                                 Delivery.status.in_(NOT_SENT)], status="cancelled"),
            self._set(Delivery, [Delivery.group_id == group_id, Delivery.user_id == user_id],
                      user_id=pseudonym, channel_id=None, ts=None),
            self._delete(AwayPeriod, AwayPeriod.group_id == group_id, AwayPeriod.user_id == user_id),
            # An action they wrote stays in the plan (its owner, status and dates), without their words.
            self._set(Action, [Action.group_id == group_id, Action.created_by == user_id],
                      description=removed, prerequisites=None),
        ]
        # Who did what (owner, signer, publisher...): the rows stay, attributed to the pseudonym.
        for column, where in ((Action.owner_id, Action.group_id == group_id),
                              (Action.volunteer_id, Action.group_id == group_id),
                              (Action.created_by, Action.group_id == group_id),
                              (Signature.user_id, Signature.agreement_version_id.in_(
                                  select(AgreementVersion.id).where(AgreementVersion.group_id == group_id)
                                  .scalar_subquery())),
                              (GroundRulesVersion.adopted_by, GroundRulesVersion.group_id == group_id),
                              (AgreementVersion.published_by, AgreementVersion.group_id == group_id),
                              (Meeting.started_by, Meeting.group_id == group_id),
                              (Group.created_by, Group.id == group_id),
                              (Group.next_meeting_set_by, Group.id == group_id),
                              (CheckinSchedule.updated_by, CheckinSchedule.group_id == group_id)):
            changed.append(self._set(column.class_, [where, column == user_id], **{column.key: pseudonym}))
        changed.append(self._audit(group_id, user_id, pseudonym))
        changed.append(self._action_edits(group_id, user_id, pseudonym, removed))
        member.user_id, member.display_name, member.organisation = pseudonym, label, None
        member.role, member.erased_at = "observer", now
        self.session.flush()
        return sum(changed) + 1

    def _action_edits(self, group_id: int, user_id: str, pseudonym: str, removed: str) -> int:
        """Edits to the group's actions (issue 11): the person's own edits keep which fields changed but lose
        the words, and a field of the plan still holding words they wrote is emptied; everywhere else their id
        (owner, volunteer, people responsible) becomes the pseudonym."""
        n = 0
        actions = {a.id: a for a in self.session.scalars(select(Action).where(Action.group_id == group_id)).all()}
        for action in actions.values():
            if user_id in (action.responsible_users or []):
                action.responsible_users = _replaced(action.responsible_users, user_id, pseudonym)
                n += 1
        edits = self.session.scalars(select(ActionEdit).where(ActionEdit.action_id.in_(list(actions)))).all()
        for edit in edits:
            if edit.author == user_id:
                action = actions[edit.action_id]
                for field, column in WORDS.items():
                    if field in edit.changes and getattr(action, column) == edit.changes[field][1]:
                        setattr(action, column, removed if column == "description" else None)
        for edit in edits:
            changes = ({k: [None, None] for k in edit.changes} if edit.author == user_id
                       else _replaced(edit.changes, user_id, pseudonym))
            if edit.author == user_id or changes != edit.changes:
                edit.author = pseudonym if edit.author == user_id else edit.author
                edit.changes = changes
                n += 1
        return n

    def _set(self, model: Any, where: list[Any], **values: Any) -> int:
        result: Any = self.session.execute(update(model).where(*where).values(**values)
                                           .execution_options(synchronize_session=False))
        return int(result.rowcount or 0)

    def _delete(self, model: Any, *where: Any) -> int:
        rows: Sequence[Any] = self.session.scalars(select(model).where(*where)).all()
        for row in rows:
            self.session.delete(row)
        return len(rows)

    def _audit(self, group_id: int, user_id: str, pseudonym: str) -> int:
        """The group's audit entries keep what happened but name the pseudonym, as actor and in details.

        The one exception to the log being append-only: an erasure must reach it too, or `/group audit`
        would keep showing the person's id. What was done, when and by which role stays."""
        n = 0
        for entry in self.session.scalars(select(AuditEntry).where(AuditEntry.group_id == group_id)).all():
            detail = _replaced(entry.detail, user_id, pseudonym)
            if entry.actor == user_id or detail != entry.detail:
                entry.actor = pseudonym if entry.actor == user_id else entry.actor
                entry.detail = detail
                n += 1
        return n

    def pending_requests(self, channel_id: str, user_id: str, exclude: int | None, now: datetime) -> int:
        """Requests of theirs in this group's channel not yet handled: set aside with their body dropped."""
        q = select(InboxItem).where(InboxItem.handled_at.is_(None), InboxItem.body.is_not(None))
        n = 0
        for item in self.session.scalars(q).all():
            body = item.body or b""
            if item.id != exclude and user_id.encode() in body and channel_id.encode() in body:
                item.body, item.handled_at = None, now
                n += 1
        return n

    def scrub_minutes(self, group_id: int, texts: list[str], replacement: str) -> int:
        """Take their words out of the stored minutes at once, line by line (a re-render follows)."""
        lines = sorted({ln.strip() for t in texts for ln in t.splitlines() if len(ln.strip()) > 2}, key=len,
                       reverse=True)
        n = 0
        for minutes in self.stored_minutes(group_id):
            markdown = minutes.markdown
            for line in lines:
                markdown = markdown.replace(line, replacement)
            if markdown != minutes.markdown:
                minutes.markdown, n = markdown, n + 1
        return n

    def replace_minutes(self, meeting_id: int, markdown: str) -> None:
        self.session.execute(update(Minutes).where(Minutes.meeting_id == meeting_id).values(markdown=markdown))

    def stored_minutes(self, group_id: int) -> Sequence[Minutes]:
        return self.session.scalars(select(Minutes).where(Minutes.meeting_id.in_(_meetings(group_id)))
                                    .order_by(Minutes.id)).all()


# The fields of an action edit that hold someone's words, and the action's column for each (action_edits.py).
WORDS = {"description": "description", "objective": "objective", "prerequisites": "prerequisites",
         "milestone": "milestone", "responsible_text": "responsible_text"}


def _replaced(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    return value

