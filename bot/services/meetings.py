"""Starting, moving through and ending a meeting: the stage machine applied to the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain import stages
from bot.domain.clock import Clock
from bot.domain.errors import DomainError
from bot.domain.snapshots import MeetingSnap, StageState
from bot.domain.stages import ExitGuard
from bot.services.common import meeting_snap, require_chair, require_group
from bot.services.stage_state import stage_state
from storage.models import Meeting, StageCard
from storage.uow import UnitOfWork

MOVES = ("next", "back", "skip", "goto")


@dataclass(frozen=True)
class CardToPost:
    """A stage card recorded in the database and not yet posted; post it, then `card_posted`."""

    card_id: int
    state: StageState


@dataclass(frozen=True)
class NeedsDecision:
    """`next` stopped at a stage whose business is unsettled; the chair decides how to go on."""

    guard: ExitGuard
    meeting: MeetingSnap
    waiting: int  # proposals or contributions gathered so far


def start_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> CardToPost:
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "meeting.start", now)
        running = uow.meetings.running(group.id)
        if running is not None:
            raise DomainError("meeting_running", number=running.number, stage=running.stage)
        follow_up = uow.meetings.count(group.id) > 0
        first = stages.plan(follow_up)[0]
        meeting = uow.meetings.add(Meeting(group_id=group.id, number=uow.meetings.count(group.id) + 1,
                                           status="running", stage=first.key.value, is_follow_up=follow_up,
                                           started_by=actor, started_at=now, ended_at=None))
        card = uow.meetings.add(StageCard(meeting_id=meeting.id, stage=meeting.stage, channel_id=channel_id,
                                          ts=None, created_at=now))
        uow.audit.record(now, actor, "meeting.start", "ok", group.id, meeting=meeting.number)
        uow.commit()
        return CardToPost(card.id, stage_state(uow, meeting))


def move_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, how: str,
                 target: str = "", confirmed: bool = False, drawn_at: tuple[int, str] | None = None
                 ) -> CardToPost | NeedsDecision:
    """`next`, `back`, `skip` or `goto <stage>`; `next` asks first if the stage is unsettled.

    `drawn_at` is the (meeting, stage) a button was drawn in: a click on an old card, or a second click
    after the meeting moved on, is refused instead of moving the meeting twice.
    """
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, f"meeting.{how}", now)
        meeting = uow.meetings.running(group.id)
        if meeting is None:
            raise DomainError("no_meeting")
        if drawn_at is not None and drawn_at != (meeting.id, meeting.stage):
            raise DomainError("stale_card")
        plan = stages.plan(meeting.is_follow_up)
        current = stages.stage(meeting.stage)
        if how == "goto":
            to = stages.find(plan, target)
            if to.key == current.key:
                raise DomainError("already_at_stage", stage=to.key.value)
        elif how == "back":
            prev = stages.preceding(plan, current.key)
            if prev is None:
                raise DomainError("first_stage", stage=current.key.value)
            to = prev
        else:
            nxt = stages.following(plan, current.key)
            if nxt is None:
                raise DomainError("last_stage", stage=current.key.value)
            to = nxt
        if how == "next" and not confirmed:
            unsettled = _unsettled(uow, meeting, current.exit_guard)
            if unsettled is not None:
                return unsettled
        meeting.stage = to.key.value
        card = uow.meetings.add(StageCard(meeting_id=meeting.id, stage=to.key.value, channel_id=channel_id,
                                          ts=None, created_at=now))
        uow.audit.record(now, actor, f"meeting.{how}", "ok", group.id, meeting=meeting.number,
                         frm=current.key.value, to=to.key.value)
        uow.commit()
        return CardToPost(card.id, stage_state(uow, meeting))


def _unsettled(uow: UnitOfWork, meeting: Meeting, guard: ExitGuard) -> NeedsDecision | None:
    state = stage_state(uow, meeting)
    settled = {
        ExitGuard.NONE: True,
        ExitGuard.RULES_ADOPTED: state.rules_adopted_here or (meeting.is_follow_up and state.rules is not None),
        ExitGuard.AGREEMENT_PUBLISHED: state.agreement_published_here
        or (meeting.is_follow_up and state.agreement is not None),
    }[guard]
    return None if settled else NeedsDecision(guard, meeting_snap(meeting), len(state.contributions))


def unposted_cards(uow: UnitOfWork, clock: Clock, *, grace_seconds: int = 30) -> list[CardToPost]:
    """Cards whose posting failed (Slack down, process killed between commit and post): post them again."""
    with uow:
        before = clock.now() - timedelta(seconds=grace_seconds)
        out = []
        for card in uow.unposted.cards(before):
            meeting = uow.meetings.get(card.meeting_id)
            assert meeting is not None
            out.append(CardToPost(card.id, stage_state(uow, meeting, card.stage)))
        return out


def card_posted(uow: UnitOfWork, card_id: int, ts: str) -> None:
    with uow:
        card = uow.meetings.card(card_id)
        assert card is not None
        card.ts = ts
        uow.commit()


@dataclass(frozen=True)
class Ended:
    meeting: MeetingSnap
    attended: int
    contributions: int
    agreement_version: int | None
    stages_with_cards: tuple[str, ...]


def end_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str) -> Ended:
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "meeting.end", now)
        meeting = uow.meetings.running(group.id)
        if meeting is None:
            raise DomainError("no_meeting")
        meeting.status, meeting.ended_at = "ended", now
        uow.audit.record(now, actor, "meeting.end", "ok", group.id, meeting=meeting.number)
        uow.commit()
        plan = stages.plan(meeting.is_follow_up)
        said = sum(len(uow.contributions.for_stage(meeting.id, s.key)) for s in plan)
        agreement = uow.agreements.current(group.id)
        carded = tuple(dict.fromkeys(c.stage for c in uow.meetings.cards(meeting.id) if c.ts))
        present = [a for a in uow.meetings.attendance(meeting.id) if a.status == "present"]
        return Ended(meeting_snap(meeting), len(present), said, agreement.version if agreement else None, carded)


def meeting_status(uow: UnitOfWork, *, team_id: str, channel_id: str) -> StageState | None:
    """The running meeting's current stage, or None if no meeting is running. Anyone may ask."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        meeting = uow.meetings.running(group.id)
        return stage_state(uow, meeting) if meeting else None


def card_state(uow: UnitOfWork, meeting_id: int, stage: str) -> tuple[StageState, list[tuple[str, str]]]:
    """A stage's state and the (channel, ts) of every posted card of it, to redraw them."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        assert meeting is not None
        cards = [(c.channel_id, c.ts) for c in uow.meetings.cards(meeting_id, stage) if c.ts]
        return stage_state(uow, meeting, stage), cards
