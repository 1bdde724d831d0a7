"""Queries of the reminders between meetings: open actions near their due date, meetings coming up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select

from bot.domain.action_status import Status
from storage.models import Action, ActionUpdate, Group
from storage.repositories import _Repo

OPEN = tuple(s.value for s in Status if s.open)


class Reminders(_Repo):
    def open_actions_due_between(self, first: date, last: date) -> Sequence[tuple[Action, Group]]:
        """Open actions with a due date in [first, last], with their group."""
        q = (select(Action, Group).join(Group, Group.id == Action.group_id)
             .where(Action.status.in_(OPEN), Action.due_date.is_not(None), Action.due_date >= first,
                    Action.due_date <= last)
             .order_by(Action.id))
        return [(a, g) for a, g in self.session.execute(q).all()]

    def due_set_at(self, action: Action) -> datetime:
        """When the action's current due date was set: its creation, or the latest report that changed it."""
        q = select(func.max(ActionUpdate.at)).where(ActionUpdate.action_id == action.id,
                                                    ActionUpdate.new_due_date.is_not(None))
        changed = self.session.scalar(q)
        return max(action.created_at, changed) if changed else action.created_at

    def groups_meeting_after(self, now: datetime) -> Sequence[Group]:
        """Groups whose scheduled next meeting is still to come."""
        q = select(Group).where(Group.next_meeting_at.is_not(None), Group.next_meeting_at > now).order_by(Group.id)
        return self.session.scalars(q).all()

    def open_actions(self, group_id: int, owner_id: str | None = None) -> Sequence[Action]:
        """The group's open actions (or one owner's), oldest first."""
        q = select(Action).where(Action.group_id == group_id, Action.status.in_(OPEN))
        if owner_id is not None:
            q = q.where(Action.owner_id == owner_id)
        return self.session.scalars(q.order_by(Action.number)).all()
