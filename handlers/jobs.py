"""Periodic work run by the scheduler, driven by what the database says is due."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import meetings
from handlers.deps import Deps
from handlers.publish import post_card

log = logging.getLogger(__name__)


def repost_unposted_cards(client: WebClient, deps: Deps) -> int:
    """Post stage cards that were recorded but never reached Slack; returns how many were posted."""
    posted = 0
    for card in meetings.unposted_cards(deps.uow(), deps.clock):
        try:
            post_card(client, deps, card)
            posted += 1
        except SlackApiError as exc:
            log.warning("card %s still not posted: %s", card.card_id, exc.response.get("error"))
    return posted
