"""What members say in a stage: thread replies, modal answers, check-ins; edits and withdrawals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import guardrail
from bot.domain.clock import Clock
from bot.domain.errors import BadInput, DomainError
from bot.domain.snapshots import StageState
from bot.domain.stages import Slot, StageKey
from bot.services.common import ensure_member
from bot.services.stage_state import slot_of, stage_state
from storage.models import Attendance, Contribution, Meeting
from storage.uow import UnitOfWork

MAX_TEXT = 3000  # a modal text input holds at most this much; thread replies get the same limit
MAX_ORGANISATION = 200


@dataclass(frozen=True)
class Recorded:
    """A contribution stored (or found already stored: `new` False) and the stage it belongs to."""

    contribution_id: int
    new: bool
    state: StageState
    held: frozenset[str] = frozenset()  # resident identifiers found: out of the record until the author acts


@dataclass(frozen=True)
class Edited:
    """A thread reply edited in Slack; `hold` says what the resident-data check made of the new text: held
    (newly), still (held before and after), released (held before, not now) or None (never held)."""

    contribution_id: int
    user_id: str
    state: StageState
    hold: str | None = None
    kinds: frozenset[str] = frozenset()


def check_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("contribution_empty")
    if len(cleaned) > MAX_TEXT:
        raise BadInput("contribution_too_long", length=len(cleaned), limit=MAX_TEXT)
    return cleaned


def contribute_in_thread(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, thread_ts: str, ts: str,
                         user_id: str, text: str) -> Recorded | None:
    """A reply in a stage card's thread; None when the thread is not one of our cards."""
    now = clock.now()
    with uow:
        card = uow.meetings.card_at(team_id, channel_id, thread_ts)
        if card is None:
            return None
        meeting = uow.meetings.get(card.meeting_id)
        assert meeting is not None
        _require_open(meeting)
        slot = slot_of(card)
        existing = uow.contributions.by_message(team_id, channel_id, ts)
        if existing is not None:
            # Still held (a replay after a crash, say): the author is warned again rather than left unaware.
            kinds = guardrail.scan(existing.text) if existing.held else frozenset()
            return Recorded(existing.id, False, stage_state(uow, meeting, slot), kinds)
        cleaned = check_text(text)
        kinds = guardrail.scan(cleaned)
        row = _store(uow, meeting, slot, user_id, cleaned, now, held=bool(kinds), channel_id=channel_id,
                     message_ts=ts)
        if row is None:
            return _already(uow, meeting, slot, uow.contributions.by_message(team_id, channel_id, ts))
        uow.commit()
        return Recorded(row.id, True, stage_state(uow, meeting, slot), kinds)


def card_pending(uow: UnitOfWork, *, team_id: str, channel_id: str) -> bool:
    """True while a card in this channel is posted but its ts not yet recorded (a reply may be early)."""
    with uow:
        return uow.unposted.pending_in_channel(team_id, channel_id)


def contribute_by_modal(uow: UnitOfWork, clock: Clock, *, meeting_id: int, slot: Slot, user_id: str,
                        text: str, view_id: str, details: dict[str, object] | None = None) -> Recorded:
    now = clock.now()
    with uow:
        meeting = _open_meeting(uow, meeting_id)
        existing = uow.contributions.by_view(view_id)
        if existing is not None:
            return Recorded(existing.id, False, stage_state(uow, meeting, slot))
        row = _store(uow, meeting, slot, user_id, check_text(text), now, view_id=view_id, details=details)
        if row is None:
            return _already(uow, meeting, slot, uow.contributions.by_view(view_id))
        uow.commit()
        return Recorded(row.id, True, stage_state(uow, meeting, slot))


def open_form(uow: UnitOfWork, *, meeting_id: int, user_id: str) -> str | None:
    """Before a contribution modal opens: the meeting must be open; returns the member's organisation."""
    with uow:
        meeting = _open_meeting(uow, meeting_id)
        member = uow.groups.member(meeting.group_id, user_id)
        return member.organisation if member else None


def check_in(uow: UnitOfWork, clock: Clock, *, meeting_id: int, user_id: str, organisation: str,
             feeling: str, view_id: str) -> Recorded:
    """'I'm here': attendance, the member's organisation, and how they are feeling (optional)."""
    now = clock.now()
    if len(organisation.strip()) > MAX_ORGANISATION:
        raise BadInput("organisation_too_long", limit=MAX_ORGANISATION)
    with uow:
        meeting = _open_meeting(uow, meeting_id)
        existing = uow.contributions.by_view(view_id)
        if existing is not None or (not feeling.strip() and uow.meetings.attendee(meeting.id, user_id)):
            row_id = existing.id if existing else 0
            return Recorded(row_id, False, stage_state(uow, meeting, StageKey.CHECK_IN))
        group = uow.groups.get(meeting.group_id)
        assert group is not None
        member = ensure_member(uow, group, user_id, now)
        if organisation.strip():
            member.organisation = organisation.strip()
        row_id = 0
        if feeling.strip():
            row = _store(uow, meeting, Slot(StageKey.CHECK_IN), user_id, check_text(feeling), now, view_id=view_id)
            if row is None:
                return _already(uow, meeting, Slot(StageKey.CHECK_IN), uow.contributions.by_view(view_id))
            row_id = row.id
        _attend(uow, meeting, user_id, now, member.organisation, feeling.strip() or None)
        uow.commit()
        return Recorded(row_id, True, stage_state(uow, meeting, StageKey.CHECK_IN))


def send_apologies(uow: UnitOfWork, clock: Clock, *, meeting_id: int, user_id: str) -> StageState | None:
    """Someone who cannot take part sends apologies (for the minutes); None if they are already here."""
    now = clock.now()
    with uow:
        meeting = _open_meeting(uow, meeting_id)
        row = uow.meetings.attendee(meeting.id, user_id)
        if row is not None and row.status == "present":
            return None
        group = uow.groups.get(meeting.group_id)
        assert group is not None
        member = ensure_member(uow, group, user_id, now)
        if row is None:
            uow.meetings.add_unique(Attendance(meeting_id=meeting.id, user_id=user_id, status="apologies",
                                               organisation=member.organisation, feeling=None, recorded_at=now))
        uow.commit()
        return stage_state(uow, meeting, Slot(StageKey.CHECK_IN))


def edit_in_thread(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, ts: str,
                   text: str) -> Edited | None:
    """An edited thread reply replaces the stored text; an edit to nothing withdraws it. The new text is
    checked for resident identifiers again: an edit can take one out (released) or put one in (held)."""
    with uow:
        row = uow.contributions.by_message(team_id, channel_id, ts)
        if row is None:
            return None
        cleaned = text.strip()[:MAX_TEXT]
        kinds = guardrail.scan(cleaned) if cleaned else frozenset()
        was_held = row.held
        row.text, row.withdrawn, row.updated_at = cleaned or row.text, not cleaned, clock.now()
        row.held = bool(kinds)
        uow.commit()
        meeting = uow.meetings.get(row.meeting_id)
        assert meeting is not None
        hold = ("still" if was_held else "held") if kinds else ("released" if was_held and cleaned else None)
        return Edited(row.id, row.user_id, stage_state(uow, meeting, Slot(row.stage, row.theme, row.question)),
                      hold, kinds)


def withdraw_in_thread(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str,
                       ts: str) -> StageState | None:
    """A deleted thread reply is marked withdrawn, never removed."""
    with uow:
        row = uow.contributions.by_message(team_id, channel_id, ts)
        if row is None:
            return None
        row.withdrawn, row.updated_at = True, clock.now()
        uow.commit()
        meeting = uow.meetings.get(row.meeting_id)
        assert meeting is not None
        return stage_state(uow, meeting, Slot(row.stage, row.theme, row.question))


def _already(uow: UnitOfWork, meeting: Meeting, slot: Slot, existing: Contribution | None) -> Recorded:
    """A concurrent copy of the same submission stored it first: report that one, as not new."""
    return Recorded(existing.id if existing else 0, False, stage_state(uow, meeting, slot))


def _open_meeting(uow: UnitOfWork, meeting_id: int) -> Meeting:
    meeting = uow.meetings.get(meeting_id)
    if meeting is None:
        raise DomainError("no_meeting")
    _require_open(meeting)
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.status != "running":
        raise DomainError("meeting_closed", number=meeting.number)


def _store(uow: UnitOfWork, meeting: Meeting, slot: Slot, user_id: str, text: str, now: datetime,
           details: dict[str, object] | None = None, held: bool = False, **where: str) -> Contribution | None:
    group = uow.groups.get(meeting.group_id)
    assert group is not None
    ensure_member(uow, group, user_id, now)
    if slot.action_id is not None:  # a comment in the thread of a report-back card: about that action
        details = {**(details or {}), "action_id": slot.action_id}
    row = Contribution(meeting_id=meeting.id, stage=slot.stage, theme=slot.theme, question=slot.question,
                       user_id=user_id, text=text, details=details,
                       source="thread" if "message_ts" in where else "modal", channel_id=where.get("channel_id"),
                       message_ts=where.get("message_ts"), view_id=where.get("view_id"), withdrawn=False,
                       held=held, created_at=now, updated_at=now)
    if not uow.contributions.add_unique(row):
        return None  # a concurrent copy of this request (a double submit) stored it first
    if slot.stage == StageKey.CHECK_IN:
        _attend(uow, meeting, user_id, now, None, None if held else text)  # a held feeling stays out of the minutes
    return row


def _attend(uow: UnitOfWork, meeting: Meeting, user_id: str, now: datetime, organisation: str | None,
            feeling: str | None) -> None:
    row = uow.meetings.attendee(meeting.id, user_id)
    if row is None:
        if uow.meetings.add_unique(Attendance(meeting_id=meeting.id, user_id=user_id, status="present",
                                              organisation=organisation, feeling=feeling, recorded_at=now)):
            return
        # The same person checked in twice at once (two forms, a reply and a form): one row, updated.
        row = uow.meetings.attendee(meeting.id, user_id)
        assert row is not None
    row.status = "present"
    row.organisation = organisation or row.organisation
    row.feeling = feeling or row.feeling
