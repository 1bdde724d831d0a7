"""Redrawing a slot's cards when several processes (and threads) ask at once: one redraws, none waits.

The bookkeeping lives on the slot's first card in the database, so it holds across web processes:
`redraw_requested` counts the asks (each made after the change it shows was committed),
`redrawn_version` is the count the last finished redraw had read before it read the state, and
`redraw_holder` with `redraw_lease_until` say who is redrawing now. An asker that cannot take the card
returns at once: the holder, before letting go, sees the count grown past what it drew and draws again,
from state read after that ask. So the last pass shows everything, and no thread queues for a card.

We chose a lease with short statements over holding a row lock (SELECT ... FOR UPDATE) across the call
to Slack: an ask bumps the same row, and under a held lock it would wait for the redraw, holding its
listener thread; a lock held across the call would also pin a database connection, and on SQLite block
every writer. A holder whose process dies leaves a lease that lapses after LEASE; the next ask redraws.
A holder slower than LEASE loses the card: its drawing may land after the new holder's, so it asks
again, and the card is drawn once more after both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.clock import Clock
from bot.domain.snapshots import StageState
from bot.domain.stages import Slot
from bot.services.stage_state import stage_state
from storage.uow import UnitOfWork

LEASE = timedelta(seconds=60)  # longer than a pass takes (a chat.update per card, each with Slack's timeout)


@dataclass(frozen=True)
class Claim:
    """This caller now redraws the slot's cards; `holder` is its fencing token on the card row."""

    card_id: int
    holder: str


@dataclass(frozen=True)
class Pass:
    """What one pass draws: the state read after `shown` asks, and the (channel, ts) of the posted cards."""

    shown: int
    state: StageState
    cards: list[tuple[str, str]]


def ask(uow: UnitOfWork, clock: Clock, meeting_id: int, slot: Slot) -> Claim | None:
    """Ask for the slot's cards to be redrawn; a Claim if this caller is to do it, None if another is."""
    with uow:
        cards = uow.meetings.cards(meeting_id, slot.stage, slot.theme, slot.question, slot.action_id)
        if not cards:
            return None
        card_id, holder, now = cards[0].id, uuid.uuid4().hex, clock.now()
        uow.meetings.ask_redraw(card_id)
        taken = uow.meetings.take_redraw(card_id, holder, now, now + LEASE)
        uow.commit()
        return Claim(card_id, holder) if taken else None


def read(uow: UnitOfWork, claim: Claim, meeting_id: int, slot: Slot) -> Pass:
    """The ask count, then the state: every ask counted was made after its change committed, so the
    state read after the count shows all the changes those asks were for."""
    with uow:
        shown = uow.meetings.redraw_asked(claim.card_id)
        meeting = uow.meetings.get(meeting_id)
        assert meeting is not None
        cards = [(c.channel_id, c.ts) for c in uow.meetings.cards(meeting_id, slot.stage, slot.theme, slot.question,
                                                                  slot.action_id) if c.ts]
        return Pass(shown, stage_state(uow, meeting, slot), cards)


def drawn(uow: UnitOfWork, clock: Clock, claim: Claim, shown: int) -> str:
    """After a pass reached Slack: 'done' (let go), 'again' (asked meanwhile: draw once more) or 'lost'
    (the lease lapsed and another process holds the card: ask again, so it draws after this pass)."""
    with uow:
        if uow.meetings.finish_redraw(claim.card_id, claim.holder, shown):
            outcome = "done"
        elif uow.meetings.keep_redraw(claim.card_id, claim.holder, shown, clock.now() + LEASE):
            outcome = "again"
        else:
            outcome = "lost"
        uow.commit()
        return outcome


def give_up(uow: UnitOfWork, claim: Claim) -> None:
    """A pass failed (Slack refused or is down): let go, so the next ask redraws at once."""
    with uow:
        uow.meetings.drop_redraw(claim.card_id, claim.holder)
        uow.commit()
