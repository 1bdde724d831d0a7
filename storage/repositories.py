"""Repositories: the only place that builds queries. Each wraps the unit of work's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    Action,
    ActionEdit,
    ActionUpdate,
    AgreementVersion,
    Attendance,
    AuditEntry,
    Contribution,
    GroundRulesVersion,
    Group,
    Meeting,
    Member,
    Minutes,
    ProcessedEvent,
    Signature,
    StageCard,
)


class _Repo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj

    def add_unique(self, obj: Any) -> bool:
        """Insert `obj`, or return False if a unique constraint says it is already there.

        A savepoint keeps the rest of the transaction usable; on PostgreSQL a concurrent insert of the
        same key waits for the other transaction and then lands here, which is what makes double
        clicks and Slack's retries harmless.
        """
        self._begin()
        try:
            with self.session.begin_nested():
                self.session.add(obj)
        except IntegrityError:
            return False
        return True

    def _begin(self) -> None:
        """Make sure a real transaction is open before a savepoint, on SQLite too.

        Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so a SAVEPOINT issued
        first would start one of its own, and its RELEASE would commit the row at once, outside the
        service's transaction (measured: the row survived a rollback). BEGIN IMMEDIATE also takes the
        write lock now, so the insert that follows sees every write committed before it.
        """
        connection = self.session.connection()
        if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Groups(_Repo):
    def by_channel(self, team_id: str, channel_id: str) -> Group | None:
        return self.session.scalar(select(Group).filter_by(team_id=team_id, channel_id=channel_id))

    def get(self, group_id: int) -> Group | None:
        return self.session.get(Group, group_id)

    def members(self, group_id: int) -> Sequence[Member]:
        return self.session.scalars(select(Member).filter_by(group_id=group_id).order_by(Member.id)).all()

    def member(self, group_id: int, user_id: str) -> Member | None:
        return self.session.scalar(select(Member).filter_by(group_id=group_id, user_id=user_id))

    def for_user(self, team_id: str, user_id: str) -> Sequence[Group]:
        q = select(Group).join(Member).where(Group.team_id == team_id, Member.user_id == user_id)
        return self.session.scalars(q.order_by(Group.id)).all()


class Meetings(_Repo):
    def get(self, meeting_id: int) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def running(self, group_id: int) -> Meeting | None:
        return self.session.scalar(select(Meeting).filter_by(group_id=group_id, status="running"))

    def move(self, meeting: Meeting, stage: str, theme_step: int) -> bool:
        """Compare-and-set: move the meeting only if it is still running at the stage and step it was
        read at. Of concurrent moves from one state exactly one matches (PostgreSQL re-checks the WHERE
        after the first commits; SQLite runs writers one at a time); False for the others."""
        result: Any = self.session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.status == "running", Meeting.stage == meeting.stage,
                   Meeting.theme_step == meeting.theme_step)
            .values(stage=stage, theme_step=theme_step).execution_options(synchronize_session=False))
        self.session.refresh(meeting)  # where it is now: moved by this call, or by whoever came first
        return bool(result.rowcount == 1)

    def end(self, meeting: Meeting, at: datetime, next_meeting_at: datetime | None) -> bool:
        """Compare-and-set: end the meeting if it is still running; False if a concurrent end came first."""
        result: Any = self.session.execute(
            update(Meeting).where(Meeting.id == meeting.id, Meeting.status == "running")
            .values(status="ended", ended_at=at, next_meeting_at=next_meeting_at)
            .execution_options(synchronize_session=False))
        self.session.refresh(meeting)  # where it is now: moved by this call, or by whoever came first
        return bool(result.rowcount == 1)

    def count(self, group_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(Meeting).filter_by(group_id=group_id)) or 0

    def latest(self, group_id: int) -> Meeting | None:
        q = select(Meeting).filter_by(group_id=group_id).order_by(Meeting.number.desc()).limit(1)
        return self.session.scalar(q)

    def card(self, card_id: int) -> StageCard | None:
        return self.session.get(StageCard, card_id)

    def card_at(self, team_id: str, channel_id: str, ts: str) -> StageCard | None:
        """The card posted at (channel, ts) by a group of this workspace (channel ids are per workspace)."""
        q = (select(StageCard).join(Meeting, Meeting.id == StageCard.meeting_id)
             .join(Group, Group.id == Meeting.group_id)
             .where(Group.team_id == team_id, StageCard.channel_id == channel_id, StageCard.ts == ts))
        return self.session.scalar(q)

    def cards(self, meeting_id: int, stage: str | None = None, theme: str | None = None,
              question: str | None = None, action_id: int | None = None) -> Sequence[StageCard]:
        q = select(StageCard).filter_by(meeting_id=meeting_id)
        if stage is not None:
            q = q.filter_by(stage=stage, theme=theme, question=question, action_id=action_id)
        return self.session.scalars(q.order_by(StageCard.id)).all()

    # A slot's redraws, kept on its first card (bot/services/redraws.py). Each is one conditional UPDATE,
    # atomic on SQLite and PostgreSQL alike, and none waits longer than another such statement.
    def ask_redraw(self, card_id: int) -> None:
        self.session.execute(update(StageCard).where(StageCard.id == card_id)
                             .values(redraw_requested=StageCard.redraw_requested + 1))

    def take_redraw(self, card_id: int, holder: str, now: datetime, until: datetime) -> bool:
        """Become the card's one redrawer, unless another holds a lease that has not lapsed."""
        free = (StageCard.redraw_holder.is_(None)) | (StageCard.redraw_lease_until < now)
        q = (update(StageCard).where(StageCard.id == card_id, free)
             .values(redraw_holder=holder, redraw_lease_until=until))
        return bool(self.session.execute(q).rowcount == 1)  # type: ignore[attr-defined]

    def redraw_asked(self, card_id: int) -> int:
        return int(self.session.scalar(select(StageCard.redraw_requested).where(StageCard.id == card_id)) or 0)

    def finish_redraw(self, card_id: int, holder: str, shown: int) -> bool:
        """Record what the holder drew and let go, if nothing was asked since; False if something was."""
        q = (update(StageCard).where(StageCard.id == card_id, StageCard.redraw_holder == holder,
                                     StageCard.redraw_requested == shown)
             .values(redrawn_version=shown, redraw_holder=None, redraw_lease_until=None))
        return bool(self.session.execute(q).rowcount == 1)  # type: ignore[attr-defined]

    def keep_redraw(self, card_id: int, holder: str, shown: int, until: datetime) -> bool:
        """Record what the holder drew and keep its lease for one more pass; False if it lost the lease."""
        q = (update(StageCard).where(StageCard.id == card_id, StageCard.redraw_holder == holder)
             .values(redrawn_version=shown, redraw_lease_until=until))
        return bool(self.session.execute(q).rowcount == 1)  # type: ignore[attr-defined]

    def drop_redraw(self, card_id: int, holder: str) -> None:
        self.session.execute(update(StageCard).where(StageCard.id == card_id, StageCard.redraw_holder == holder)
                             .values(redraw_holder=None, redraw_lease_until=None))

    def by_number(self, group_id: int, number: int) -> Meeting | None:
        return self.session.scalar(select(Meeting).filter_by(group_id=group_id, number=number))

    def minutes(self, meeting_id: int) -> Minutes | None:
        return self.session.scalar(select(Minutes).filter_by(meeting_id=meeting_id))

    def attendance(self, meeting_id: int) -> Sequence[Attendance]:
        q = select(Attendance).filter_by(meeting_id=meeting_id).order_by(Attendance.recorded_at, Attendance.id)
        return self.session.scalars(q).all()

    def attendee(self, meeting_id: int, user_id: str) -> Attendance | None:
        return self.session.scalar(select(Attendance).filter_by(meeting_id=meeting_id, user_id=user_id))


class Contributions(_Repo):
    def for_stage(self, meeting_id: int, stage: str) -> Sequence[Contribution]:
        """What the group's record shows: not withdrawn, and not held back by the resident-data guardrail."""
        q = select(Contribution).filter_by(meeting_id=meeting_id, stage=stage, withdrawn=False, held=False)
        return self.session.scalars(q.order_by(Contribution.created_at, Contribution.id)).all()

    def get(self, contribution_id: int) -> Contribution | None:
        return self.session.get(Contribution, contribution_id)

    def by_message(self, team_id: str, channel_id: str, ts: str) -> Contribution | None:
        q = (select(Contribution).join(Meeting, Meeting.id == Contribution.meeting_id)
             .join(Group, Group.id == Meeting.group_id)
             .where(Group.team_id == team_id, Contribution.channel_id == channel_id, Contribution.message_ts == ts))
        return self.session.scalar(q)

    def by_view(self, view_id: str) -> Contribution | None:
        return self.session.scalar(select(Contribution).filter_by(view_id=view_id))


class Agreements(_Repo):
    def rules(self, group_id: int) -> GroundRulesVersion | None:
        q = select(GroundRulesVersion).filter_by(group_id=group_id)
        return self.session.scalar(q.order_by(GroundRulesVersion.version.desc()).limit(1))

    def rules_version(self, group_id: int, version: int) -> GroundRulesVersion | None:
        return self.session.scalar(select(GroundRulesVersion).filter_by(group_id=group_id, version=version))

    def current(self, group_id: int) -> AgreementVersion | None:
        q = select(AgreementVersion).filter_by(group_id=group_id)
        return self.session.scalar(q.order_by(AgreementVersion.version.desc()).limit(1))

    def get(self, version_id: int) -> AgreementVersion | None:
        return self.session.get(AgreementVersion, version_id)

    def signatures(self, version_id: int) -> Sequence[Signature]:
        q = select(Signature).filter_by(agreement_version_id=version_id)
        return self.session.scalars(q.order_by(Signature.signed_at, Signature.id)).all()

    def set_posted(self, version_id: int, channel_id: str, ts: str) -> None:
        self.session.execute(
            update(AgreementVersion).where(AgreementVersion.id == version_id).values(channel_id=channel_id,
                                                                                    message_ts=ts)
        )


class Audit(_Repo):
    def record(self, at: datetime, actor: str, action: str, outcome: str, group_id: int | None = None,
               **detail: Any) -> None:
        self.session.add(AuditEntry(at=at, actor=actor, action=action, outcome=outcome, group_id=group_id,
                                    detail=detail))

    def entries(self, group_id: int | None = None) -> Sequence[AuditEntry]:
        q = select(AuditEntry)
        if group_id is not None:
            q = q.filter_by(group_id=group_id)
        return self.session.scalars(q.order_by(AuditEntry.id)).all()

    def recent(self, group_id: int, limit: int) -> Sequence[AuditEntry]:
        """The group's latest `limit` entries, oldest first."""
        q = select(AuditEntry).filter_by(group_id=group_id).order_by(AuditEntry.id.desc()).limit(limit)
        return list(reversed(self.session.scalars(q).all()))


class Processed(_Repo):
    def claim(self, key: str, at: datetime) -> bool:
        """Record `key` as handled in the current transaction; False if it already was."""
        if self.session.get(ProcessedEvent, key) is not None:
            return False
        return self.add_unique(ProcessedEvent(event_id=key, received_at=at))


class Unposted(_Repo):
    def cards(self, before: datetime) -> Sequence[StageCard]:
        """Cards recorded but never confirmed by Slack, in meetings still running."""
        q = (select(StageCard).join(Meeting, Meeting.id == StageCard.meeting_id)
             .where(StageCard.ts.is_(None), StageCard.created_at < before, Meeting.status == "running"))
        return self.session.scalars(q.order_by(StageCard.id)).all()

    def pending_in_channel(self, team_id: str, channel_id: str) -> bool:
        """A card is being posted in this channel right now (recorded, Slack's ts not yet known)."""
        q = (select(StageCard.id).join(Meeting, Meeting.id == StageCard.meeting_id)
             .join(Group, Group.id == Meeting.group_id)
             .where(Group.team_id == team_id, StageCard.channel_id == channel_id, StageCard.ts.is_(None),
                    Meeting.status == "running"))
        return self.session.scalar(q.limit(1)) is not None


OPEN_STATUSES = ("not-started", "in-progress", "blocked")


class Actions(_Repo):
    def get(self, action_id: int) -> Action | None:
        return self.session.get(Action, action_id)

    def for_meeting(self, meeting_id: int) -> Sequence[Action]:
        return self.session.scalars(select(Action).filter_by(meeting_id=meeting_id).order_by(Action.number)).all()

    def for_group(self, group_id: int) -> Sequence[Action]:
        return self.session.scalars(select(Action).filter_by(group_id=group_id).order_by(Action.number)).all()

    def by_number(self, group_id: int, number: int) -> Action | None:
        return self.session.scalar(select(Action).filter_by(group_id=group_id, number=number))

    def by_request(self, request_key: str) -> Action | None:
        return self.session.scalar(select(Action).filter_by(request_key=request_key))

    def open_for_owner(self, team_id: str, user_id: str) -> Sequence[tuple[Action, Group]]:
        q = (select(Action, Group).join(Group, Group.id == Action.group_id)
             .where(Group.team_id == team_id, Action.owner_id == user_id, Action.status.in_(OPEN_STATUSES))
             .order_by(Action.due_date.is_(None), Action.due_date, Group.id, Action.number))
        return [(a, g) for a, g in self.session.execute(q).all()]

    def updates(self, action_id: int) -> Sequence[ActionUpdate]:
        q = select(ActionUpdate).filter_by(action_id=action_id).order_by(ActionUpdate.at, ActionUpdate.id)
        return self.session.scalars(q).all()

    def group_updates(self, group_id: int) -> Sequence[ActionUpdate]:
        """Every update on the group's actions, oldest first."""
        q = (select(ActionUpdate).join(Action, Action.id == ActionUpdate.action_id).where(Action.group_id == group_id)
             .order_by(ActionUpdate.at, ActionUpdate.id))
        return self.session.scalars(q).all()

    def update_by_request(self, request_key: str) -> ActionUpdate | None:
        return self.session.scalar(select(ActionUpdate).filter_by(request_key=request_key))

    def edits(self, action_id: int) -> Sequence[ActionEdit]:
        """Changes to the action's plan (edits, merges, drops), oldest first."""
        q = select(ActionEdit).filter_by(action_id=action_id).order_by(ActionEdit.at, ActionEdit.id)
        return self.session.scalars(q).all()

    def edit_by_request(self, request_key: str) -> ActionEdit | None:
        return self.session.scalar(select(ActionEdit).filter_by(request_key=request_key))

    def next_number(self, group_id: int) -> int:
        """The group's next action number, with the group's numbering held until this transaction ends.

        Fifty actions added at once all read the same maximum and all but one lose the unique race, again
        and again. On PostgreSQL the group's row is locked first (FOR NO KEY UPDATE, which does not block
        inserts that merely reference the group), so adds take numbers in turn; SQLite already runs one
        writer at a time (add_unique begins IMMEDIATE).
        """
        self.session.execute(select(Group.id).where(Group.id == group_id).with_for_update(key_share=True))
        return (self.session.scalar(select(func.max(Action.number)).filter_by(group_id=group_id)) or 0) + 1
