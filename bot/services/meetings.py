"""Starting, moving through and ending a meeting: the stage machine applied to the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import stages
from bot.domain.clock import Clock
from bot.domain.errors import DomainError
from bot.domain.reminders import is_next_meeting
from bot.domain.snapshots import MeetingSnap, StageState
from bot.domain.stages import ExitGuard, Slot, StageKey
from bot.services.common import (
    Reader,
    chair_and_running_meeting,
    check_reader,
    meeting_snap,
    require_chair,
    require_group,
)
from bot.services.stage_state import current_slot, report_items, slot_of, stage_state
from storage.models import Meeting, StageCard
from storage.uow import UnitOfWork

MOVES = ("next", "back", "skip", "goto")
START_TRIES = 3  # a lost race for the next number with no meeting left running (started and ended meanwhile)
Catalogue = Mapping[str, Sequence[str]]  # theme names by theme-set key, from templates/themes


@dataclass(frozen=True)
class CardToPost:
    """A stage card recorded in the database and not yet posted; post it, then `card_posted`."""

    card_id: int
    state: StageState
    followers: tuple[CardToPost, ...] = ()  # cards to post after this one (report back: one per action)


@dataclass(frozen=True)
class NeedsDecision:
    """`next` stopped at a stage whose business is unsettled; the chair decides how to go on."""

    guard: ExitGuard
    meeting: MeetingSnap
    waiting: int  # proposals or contributions gathered so far


def start_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                  catalogue: Catalogue) -> CardToPost:
    """Start the group's next meeting. Of concurrent starts one wins, by the database's partial unique
    index on running meetings (and the unique meeting number); the others hear that one is running."""
    now = clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, "meeting.start", now)
        for _ in range(START_TRIES):
            _refuse_if_running(uow, group.id)
            number = uow.meetings.count(group.id) + 1
            meeting = Meeting(group_id=group.id, number=number, status="running",
                              stage=stages.plan(number > 1)[0].key.value, is_follow_up=number > 1, started_by=actor,
                              started_at=now, ended_at=None, themes=list(catalogue.get(group.theme_set, ())),
                              theme_step=0, next_meeting_at=None)
            if uow.meetings.add_unique(meeting):
                break
        else:
            raise DomainError("duplicate_request")
        card = new_card(uow, meeting, channel_id, now)
        uow.audit.record(now, actor, "meeting.start", "ok", group.id, meeting=meeting.number)
        return _to_post(uow, meeting, card, channel_id, now)


def _refuse_if_running(uow: UnitOfWork, group_id: int) -> None:
    running = uow.meetings.running(group_id)
    if running is not None:
        raise DomainError("meeting_running", number=running.number, stage=running.stage)


def move_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, how: str,
                 target: str = "", confirmed: bool = False, drawn_at: tuple[int, Slot] | None = None
                 ) -> CardToPost | NeedsDecision:
    """`next`, `back`, `skip` or `goto <stage>`; `next` asks first if the stage is unsettled.

    `drawn_at` is the (meeting, slot) a button was drawn in: a click on an old card, or a second click
    after the meeting moved on, is refused instead of moving the meeting twice. The move itself is a
    compare-and-set on the stage and step read here, so of concurrent moves (a double click, chair and
    co-chair at once) exactly one happens and posts a card. Within the themes stage, `next` and `back`
    walk the (theme, question) steps and `skip` jumps to the next theme.
    """
    now = clock.now()
    with uow:
        group, meeting = chair_and_running_meeting(uow, team_id, channel_id, actor, f"meeting.{how}", now)
        if drawn_at is not None and not _drawn_here(meeting, *drawn_at):
            raise DomainError("stale_card")
        before = current_slot(meeting)
        if how == "next" and not confirmed:
            unsettled = _unsettled(uow, meeting, stages.stage(meeting.stage).exit_guard)
            if unsettled is not None:
                return unsettled
        if not uow.meetings.move(meeting, *_step(meeting, how, target)):
            if drawn_at is not None:
                raise DomainError("stale_card")
            raise DomainError("moved_meanwhile", stage=meeting.stage)
        card = new_card(uow, meeting, channel_id, now)
        uow.audit.record(now, actor, f"meeting.{how}", "ok", group.id, meeting=meeting.number, frm=before.stage,
                         to=meeting.stage, step=meeting.theme_step)
        return _to_post(uow, meeting, card, channel_id, now)


def _drawn_here(meeting: Meeting, meeting_id: int, drawn: Slot) -> bool:
    """Whether a button drawn at `drawn` belongs to where the meeting is now (a theme card: its question)."""
    now = current_slot(meeting)
    if meeting_id != meeting.id or drawn.stage != now.stage:
        return False
    return not drawn.theme or (drawn.theme, drawn.question) == (now.theme, now.question)


def _step(meeting: Meeting, how: str, target: str) -> tuple[str, int]:
    """Where one move takes the meeting: (stage, theme step)."""
    plan = stages.plan(meeting.is_follow_up)
    current = stages.stage(meeting.stage)
    last_step = max(len(stages.theme_steps(meeting.themes or [])) - 1, 0)
    if current.key == StageKey.THEMES and how in ("next", "back", "skip"):
        step = meeting.theme_step
        moved = {"next": step + 1, "back": step - 1, "skip": (step // 2 + 1) * 2}[how]
        if 0 <= moved <= last_step:
            return meeting.stage, moved
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
    return to.key.value, last_step if how == "back" else 0


def new_card(uow: UnitOfWork, meeting: Meeting, channel_id: str, now: datetime) -> StageCard:
    """Record the card for the meeting's current slot, to be posted after the commit."""
    slot = current_slot(meeting)
    return uow.meetings.add(StageCard(meeting_id=meeting.id, stage=slot.stage, theme=slot.theme,
                                      question=slot.question, channel_id=channel_id, ts=None, created_at=now))


def _to_post(uow: UnitOfWork, meeting: Meeting, card: StageCard, channel_id: str, now: datetime) -> CardToPost:
    """Commit the recorded card (and, for report back, a card per action), then say what to post."""
    extra: list[StageCard] = []
    if meeting.stage == StageKey.REPORT_BACK:
        extra = [uow.meetings.add(StageCard(meeting_id=meeting.id, stage=meeting.stage, theme=None, question=None,
                                            action_id=item.action.id, channel_id=channel_id, ts=None, created_at=now))
                 for item in report_items(uow, meeting)]
    uow.commit()
    followers = tuple(CardToPost(c.id, stage_state(uow, meeting, slot_of(c))) for c in extra)
    return CardToPost(card.id, stage_state(uow, meeting), followers)


def _unsettled(uow: UnitOfWork, meeting: Meeting, guard: ExitGuard) -> NeedsDecision | None:
    if guard is ExitGuard.NONE:
        return None
    state = stage_state(uow, meeting)
    settled = {
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
            out.append(CardToPost(card.id, stage_state(uow, meeting, slot_of(card))))
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
    slots_with_cards: tuple[Slot, ...]


def end_meeting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str,
                drawn_at: tuple[int, str] | None = None) -> Ended:
    now = clock.now()
    with uow:
        group, meeting = chair_and_running_meeting(uow, team_id, channel_id, actor, "meeting.end", now)
        if drawn_at is not None and drawn_at[0] != meeting.id:
            raise DomainError("stale_card")
        # The minutes show the next meeting: the group's, if it is still to come and not this one.
        upcoming = group.next_meeting_at if is_next_meeting(group.next_meeting_at, meeting.started_at, now) else None
        if not uow.meetings.end(meeting, now, upcoming):  # a concurrent end (a double click) came first
            raise DomainError("meeting_closed", number=meeting.number)
        uow.audit.record(now, actor, "meeting.end", "ok", group.id, meeting=meeting.number)
        uow.commit()
        said = sum(len(uow.contributions.for_stage(meeting.id, s.key)) for s in stages.plan(meeting.is_follow_up))
        agreement = uow.agreements.current(group.id)
        carded = tuple(dict.fromkeys(slot_of(c) for c in uow.meetings.cards(meeting.id)
                                     if c.ts))
        present = [a for a in uow.meetings.attendance(meeting.id) if a.status == "present"]
        return Ended(meeting_snap(meeting), len(present), said, agreement.version if agreement else None, carded)


def meeting_status(uow: UnitOfWork, *, team_id: str, channel_id: str,
                   reader: Reader | None = None) -> StageState | None:
    """The running meeting's current stage, or None if no meeting is running. Any member may ask."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        meeting = uow.meetings.running(group.id)
        return stage_state(uow, meeting) if meeting else None


def card_state(uow: UnitOfWork, meeting_id: int, slot: Slot) -> tuple[StageState, list[tuple[str, str]]]:
    """A slot's state and the (channel, ts) of every posted card of it, to redraw them."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        assert meeting is not None
        cards = [(c.channel_id, c.ts) for c in uow.meetings.cards(meeting_id, slot.stage, slot.theme, slot.question,
                                                                  slot.action_id) if c.ts]
        return stage_state(uow, meeting, slot), cards


def report_back_cards(uow: UnitOfWork, action_id: int) -> tuple[int, tuple[Slot, ...]] | None:
    """After a report on an action: the running meeting whose report-back cards show it, and those cards' slots."""
    with uow:
        action = uow.actions.get(action_id)
        meeting = uow.meetings.running(action.group_id) if action else None
        if meeting is None:
            return None
        mine = uow.meetings.cards(meeting.id, StageKey.REPORT_BACK, action_id=action_id)
        if not mine:
            return None
        return meeting.id, (Slot(StageKey.REPORT_BACK), Slot(StageKey.REPORT_BACK, action_id=action_id))
