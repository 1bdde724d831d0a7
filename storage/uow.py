"""The unit of work: one session, the repositories over it, and an explicit commit."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from storage.assessment_repositories import Assessments
from storage.checkin_repositories import Checkins, Deliveries
from storage.erasure_repositories import Erasure
from storage.inbox import AlreadyHandled, Inbox, current_ticket, wrote
from storage.reminder_repositories import Reminders
from storage.report_repositories import Reports
from storage.repositories import (
    Actions,
    Agreements,
    Audit,
    Contributions,
    Groups,
    Meetings,
    Processed,
    Unposted,
)
from storage.retention_repositories import Retention
from storage.subject_repositories import SubjectData


class UnitOfWork:
    """Use as `with uow:`; nothing is written unless the service calls `commit()`."""

    session: Session

    def __init__(self, session_factory: sessionmaker) -> None:
        self._factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.groups = Groups(self.session)
        self.meetings = Meetings(self.session)
        self.contributions = Contributions(self.session)
        self.agreements = Agreements(self.session)
        self.audit = Audit(self.session)
        self.processed = Processed(self.session)
        self.unposted = Unposted(self.session)
        self.actions = Actions(self.session)
        self.checkins = Checkins(self.session)
        self.deliveries = Deliveries(self.session)
        self.reminders = Reminders(self.session)
        self.inbox = Inbox(self.session)
        self.retention = Retention(self.session)
        self.subject = SubjectData(self.session)
        self.erasure = Erasure(self.session)
        self.reports = Reports(self.session)
        self.assessments = Assessments(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        """Commit; the first transaction that writes for a request from Slack also marks it handled.

        That is what makes handling a request again after a crash (see bot/services/inbox.py) a no-op
        for whatever was already written: the second attempt finds the request settled and backs out.
        """
        ticket = current_ticket.get()
        if ticket is None or ticket.settled or not wrote(self.session):
            self.session.commit()
            return
        if not self.inbox.settle(ticket.inbox_id, ticket.now()):
            self.session.rollback()
            raise AlreadyHandled(ticket.inbox_id)
        self.session.commit()
        ticket.settled = True

    def rollback(self) -> None:
        self.session.rollback()
