"""Repositories of the weekly check-in: schedules, weeks, answers, and the deliveries the scheduler sends."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import and_, or_, select, update

from storage.models import (
    AwayPeriod,
    CheckinAnswer,
    CheckinAnswerVersion,
    CheckinSchedule,
    CheckinWeek,
    Delivery,
    Group,
)
from storage.repositories import _Repo

HELD = ("claimed", "sending")  # a delivery some process holds under a lease


class Checkins(_Repo):
    def schedule(self, group_id: int) -> CheckinSchedule | None:
        return self.session.scalar(select(CheckinSchedule).filter_by(group_id=group_id))

    def schedules(self) -> Sequence[CheckinSchedule]:
        return self.session.scalars(select(CheckinSchedule).filter_by(paused=False).order_by(CheckinSchedule.id)).all()

    def week(self, group_id: int, week_start: date) -> CheckinWeek | None:
        return self.session.scalar(select(CheckinWeek).filter_by(group_id=group_id, week_start=week_start))

    def weeks(self, group_id: int) -> Sequence[CheckinWeek]:
        return self.session.scalars(select(CheckinWeek).filter_by(group_id=group_id)
                                    .order_by(CheckinWeek.week_start)).all()

    def weeks_to_remind(self, now: datetime) -> Sequence[CheckinWeek]:
        q = select(CheckinWeek).where(CheckinWeek.opened_at.is_not(None), CheckinWeek.reminders_planned.is_(False),
                                      CheckinWeek.reminder_at <= now)
        return self.session.scalars(q.order_by(CheckinWeek.id)).all()

    def weeks_to_digest(self, now: datetime) -> Sequence[CheckinWeek]:
        q = select(CheckinWeek).where(CheckinWeek.opened_at.is_not(None), CheckinWeek.digest_planned.is_(False),
                                      CheckinWeek.digest_at <= now)
        return self.session.scalars(q.order_by(CheckinWeek.id)).all()

    def answer(self, week_id: int, user_id: str) -> CheckinAnswer | None:
        return self.session.scalar(select(CheckinAnswer).filter_by(week_id=week_id, user_id=user_id))

    def answers(self, week_id: int) -> Sequence[CheckinAnswer]:
        return self.session.scalars(select(CheckinAnswer).filter_by(week_id=week_id).order_by(CheckinAnswer.id)).all()

    def earlier_answer(self, group_id: int, user_id: str, before: date) -> CheckinAnswer | None:
        """The manager's answer in the latest week before `before`, for reference in the form."""
        q = (select(CheckinAnswer).join(CheckinWeek, CheckinWeek.id == CheckinAnswer.week_id)
             .where(CheckinWeek.group_id == group_id, CheckinAnswer.user_id == user_id,
                    CheckinWeek.week_start < before)
             .order_by(CheckinWeek.week_start.desc()).limit(1))
        return self.session.scalar(q)

    def versions(self, answer_id: int) -> Sequence[CheckinAnswerVersion]:
        q = select(CheckinAnswerVersion).filter_by(answer_id=answer_id).order_by(CheckinAnswerVersion.version)
        return self.session.scalars(q).all()

    def away(self, group_id: int) -> dict[str, date]:
        rows = self.session.scalars(select(AwayPeriod).filter_by(group_id=group_id)).all()
        return {r.user_id: r.until for r in rows}

    def away_row(self, group_id: int, user_id: str) -> AwayPeriod | None:
        return self.session.scalar(select(AwayPeriod).filter_by(group_id=group_id, user_id=user_id))


class Deliveries(_Repo):
    def get(self, delivery_id: int) -> Delivery | None:
        return self.session.get(Delivery, delivery_id)

    def cancel_for_team(self, team_id: str) -> int:
        """Cancel what is planned, claimed or to be retried for a workspace's groups; returns how many."""
        groups = select(Group.id).where(Group.team_id == team_id).scalar_subquery()
        waiting = Delivery.status.in_(("pending", "claimed", "failed"))
        q = (update(Delivery).where(Delivery.group_id.in_(groups), waiting)
             .values(status="cancelled", last_error="workspace uninstalled", lease_until=None)
             .execution_options(synchronize_session=False))
        return int(self.session.execute(q).rowcount)  # type: ignore[attr-defined]

    def for_period(self, group_id: int, period: str, kind: str) -> Sequence[Delivery]:
        q = select(Delivery).filter_by(group_id=group_id, period=period, kind=kind).order_by(Delivery.id)
        return self.session.scalars(q).all()

    def find(self, kind: str, user_id: str, group_id: int, period: str) -> Delivery | None:
        """The delivery with this natural key, if it was ever planned."""
        q = select(Delivery).filter_by(kind=kind, user_id=user_id, group_id=group_id, period=period)
        return self.session.scalar(q)

    def claim_due(self, now: datetime, limit: int, kinds: Collection[str]) -> Sequence[Delivery]:
        """Due rows of the given kinds, locked for this transaction; rows another process holds are skipped
        (PostgreSQL). Each sender claims only its own kinds, so none cancels another's rows. A claim whose
        lease has lapsed (its holder stopped renewing it) is due again.

        SQLite ignores FOR UPDATE: there `take` decides which of two claimers gets a row.
        """
        due = or_(and_(Delivery.status.in_(("pending", "failed")), Delivery.next_attempt_at <= now),
                  and_(Delivery.status.in_(HELD), Delivery.lease_until < now))
        q = (select(Delivery).where(due, Delivery.kind.in_(tuple(kinds))).order_by(Delivery.id).limit(limit)
             .with_for_update(skip_locked=True))
        return self.session.scalars(q).all()

    def take(self, delivery: Delivery, lease_until: datetime, status: str) -> bool:
        """Claim a row, only if nobody else has since: `attempts` is its version, and the new claim's token.

        Needed where FOR UPDATE is a no-op (SQLite, e.g. `/checkin send` in the web process while the
        clock process ticks): of two claims of the same row, only one updates it.
        """
        q = (update(Delivery).where(Delivery.id == delivery.id, Delivery.attempts == delivery.attempts)
             .values(status=status, attempts=delivery.attempts + 1, lease_until=lease_until)
             .execution_options(synchronize_session=False))
        return bool(self.session.execute(q).rowcount == 1)  # type: ignore[attr-defined]

    def start_sending(self, delivery_id: int, attempt: int, lease_until: datetime) -> bool:
        """The claim `attempt` is about to call Slack; False if that claim is no longer the row's."""
        q = (update(Delivery).where(Delivery.id == delivery_id, Delivery.attempts == attempt,
                                    Delivery.status.in_(HELD))
             .values(status="sending", lease_until=lease_until).execution_options(synchronize_session=False))
        return bool(self.session.execute(q).rowcount == 1)  # type: ignore[attr-defined]

    def renew(self, claims: Collection[tuple[int, int]], lease_until: datetime) -> int:
        """Extend the leases of the claims (id, attempt) that are still held as taken."""
        if not claims:
            return 0
        mine = or_(*(and_(Delivery.id == i, Delivery.attempts == a) for i, a in claims))
        q = (update(Delivery).where(mine, Delivery.status.in_(HELD)).values(lease_until=lease_until)
             .execution_options(synchronize_session=False))
        return int(self.session.execute(q).rowcount)  # type: ignore[attr-defined]
