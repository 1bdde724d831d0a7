"""Showing the result of a stage move (from a command or a button) and of ending a meeting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.stages import ExitGuard
from bot.services import meetings, minutes
from handlers.blocks.cards import decision_prompt
from handlers.blocks.minutes import minutes_markdown, minutes_messages
from handlers.deps import Deps
from handlers.publish import post_card, refresh_cards

Tell = Callable[..., Any]


def show_move(client: WebClient, deps: Deps, result: meetings.CardToPost | meetings.NeedsDecision,
              tell: Tell) -> None:
    if isinstance(result, meetings.CardToPost):
        post_card(client, deps, result)
        return
    key = "decide_rules" if result.guard is ExitGuard.RULES_ADOPTED else "decide_agreement"
    text, blocks = decision_prompt(deps.texts.ui(key, n=result.waiting), result.meeting.id, result.meeting.stage,
                                   deps.texts)
    tell(text, blocks)


def announce_end(client: WebClient, deps: Deps, ended: meetings.Ended, channel_id: str) -> None:
    for slot in ended.slots_with_cards:
        state, _ = meetings.card_state(deps.uow(), ended.meeting.id, slot)
        refresh_cards(client, deps, state)
    text = deps.texts.ui("meeting_ended", number=ended.meeting.number, attended=ended.attended,
                         contributions=ended.contributions, agreement=ended.agreement_version)
    client.chat_postMessage(channel=channel_id, text=text)
    data = minutes.minutes_data(deps.uow(), meeting_id=ended.meeting.id, descriptions=deps.theme_descriptions)
    minutes.store_minutes(deps.uow(), deps.clock, meeting_id=ended.meeting.id,
                          markdown=minutes_markdown(data, deps.texts))
    for fallback, blocks in minutes_messages(data, deps.texts):
        client.chat_postMessage(channel=channel_id, text=fallback, blocks=blocks)
