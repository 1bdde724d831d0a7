"""Choosing which themes a meeting covers (default: the group's whole theme set)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.stages import StageKey
from bot.domain.themes import match_themes
from bot.services.common import chair_and_running_meeting
from bot.services.meetings import CardToPost, Catalogue, new_card
from bot.services.stage_state import stage_state
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Chosen:
    themes: tuple[str, ...]
    card: CardToPost | None  # when the meeting is at the themes stage, it restarts on the first chosen theme


def choose_themes(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, text: str,
                  catalogue: Catalogue) -> Chosen:
    now = clock.now()
    with uow:
        group, meeting = chair_and_running_meeting(uow, team_id, channel_id, actor, "meeting.themes", now)
        chosen = match_themes(text, catalogue.get(group.theme_set, ()))
        meeting.themes, meeting.theme_step = chosen, 0
        card = new_card(uow, meeting, channel_id, now) if meeting.stage == StageKey.THEMES else None
        uow.audit.record(now, actor, "meeting.themes", "ok", group.id, meeting=meeting.number, count=len(chosen))
        uow.commit()
        return Chosen(tuple(chosen), CardToPost(card.id, stage_state(uow, meeting)) if card else None)
