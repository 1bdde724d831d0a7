"""Thread replies held back by the resident-data guardrail, and what their author does with them.

A held reply is stored (what a person said is durable) but left out of cards, minutes and exports
(storage: `Contributions.for_stage`). Only its author may act on it: *Keep as written* releases it (they
have checked; audited, since they take responsibility), *Edit* replaces the stored text after checking it
again, *Remove* withdraws it and blanks the stored text, so the identifier is not kept either.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import guardrail
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.snapshots import StageState
from bot.domain.stages import Slot, StageKey
from bot.services.contributions import check_text
from bot.services.stage_state import stage_state
from storage.models import Contribution
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class HeldReply:
    """The reply an author acted on: where it is in Slack, whether this took it out of hold (`changed`; for
    Remove, whether it was still there to remove), and the stage it belongs to, as the card shows it now."""

    contribution_id: int
    channel_id: str | None
    message_ts: str | None
    changed: bool
    state: StageState
    removed: bool = False


class StillIdentifies(BadInput):
    """The edited text still looks like it identifies a resident; `kinds` says what was found."""


def held_text(uow: UnitOfWork, clock: Clock, *, contribution_id: int, user_id: str) -> str:
    """The stored text of the author's own held reply, to pre-fill the Edit form (nobody else gets it)."""
    with uow:
        return _own_held(uow, clock, contribution_id, user_id, "guardrail.edit").text


def keep_as_written(uow: UnitOfWork, clock: Clock, *, contribution_id: int, user_id: str) -> HeldReply:
    """The author has checked and keeps the reply: it joins the record."""
    with uow:
        row = _own(uow, clock, contribution_id, user_id, "guardrail.keep")
        if not row.held or row.withdrawn:
            return _result(uow, row, changed=False)
        kinds = sorted(guardrail.scan(row.text))
        _release(uow, row, clock)
        meeting = uow.meetings.get(row.meeting_id)
        assert meeting is not None
        # Kinds only, never the text: the audit log is read by the chairs.
        uow.audit.record(clock.now(), user_id, "guardrail.keep", "ok", meeting.group_id, contribution=row.id,
                         kinds=kinds)
        uow.commit()
        return _result(uow, row, changed=True)


def edit_held(uow: UnitOfWork, clock: Clock, *, contribution_id: int, user_id: str, text: str,
              confirmed: bool) -> HeldReply:
    """Replace the held reply's text; raises StillIdentifies unless the new text passes or is confirmed."""
    cleaned = check_text(text)
    kinds = guardrail.scan(cleaned)
    if kinds and not confirmed:
        raise StillIdentifies("guardrail_still_identifies", kinds=sorted(kinds), field="text")
    with uow:
        row = _own(uow, clock, contribution_id, user_id, "guardrail.edit")
        if row.withdrawn:
            raise DomainError("guardrail_reply_removed")
        was_held, row.text = row.held, cleaned
        _release(uow, row, clock)
        if kinds:
            meeting = uow.meetings.get(row.meeting_id)
            assert meeting is not None
            uow.audit.record(clock.now(), user_id, "guardrail.keep", "ok", meeting.group_id, contribution=row.id,
                             kinds=sorted(kinds))
        uow.commit()
        return _result(uow, row, changed=was_held)


def remove_held(uow: UnitOfWork, clock: Clock, *, contribution_id: int, user_id: str) -> HeldReply:
    """Withdraw the reply and blank what was stored of it (the row stays, so the withdrawal is recorded)."""
    with uow:
        row = _own(uow, clock, contribution_id, user_id, "guardrail.remove")
        if row.withdrawn and not row.text:
            return _result(uow, row, changed=False, removed=True)
        row.text, row.withdrawn, row.held, row.updated_at = "", True, False, clock.now()
        uow.commit()
        return _result(uow, row, changed=True, removed=True)


def _release(uow: UnitOfWork, row: Contribution, clock: Clock) -> None:
    row.held, row.updated_at = False, clock.now()
    if row.stage == StageKey.CHECK_IN:  # a check-in reply is also how the person is feeling, for the minutes
        attended = uow.meetings.attendee(row.meeting_id, row.user_id)
        if attended is not None:
            attended.feeling = row.text


def _own(uow: UnitOfWork, clock: Clock, contribution_id: int, user_id: str, action: str) -> Contribution:
    row = uow.contributions.get(contribution_id)
    if row is None:
        raise DomainError("guardrail_reply_gone")
    if row.user_id != user_id:
        meeting = uow.meetings.get(row.meeting_id)
        uow.audit.record(clock.now(), user_id, action, "refused", meeting.group_id if meeting else None,
                         reason="not_author", contribution=row.id)
        uow.commit()
        raise DomainError("guardrail_not_yours")
    return row


def _own_held(uow: UnitOfWork, clock: Clock, contribution_id: int, user_id: str, action: str) -> Contribution:
    row = _own(uow, clock, contribution_id, user_id, action)
    if row.withdrawn:
        raise DomainError("guardrail_reply_removed")
    return row


def _result(uow: UnitOfWork, row: Contribution, *, changed: bool, removed: bool = False) -> HeldReply:
    meeting = uow.meetings.get(row.meeting_id)
    assert meeting is not None
    state = stage_state(uow, meeting, Slot(row.stage, row.theme, row.question, (row.details or {}).get("action_id")))
    return HeldReply(row.id, row.channel_id, row.message_ts, changed, state, removed)
