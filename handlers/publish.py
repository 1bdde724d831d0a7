"""Putting the meeting in the channel: post a recorded card, redraw cards, post rules and agreement.

Every function here runs after the service has committed what the person did, so a Slack failure
never loses it; the ts Slack returns is then recorded so later replies and redraws find the message.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from slack_sdk import WebClient

from bot.domain.snapshots import AgreementSnap, GroupSnap, RulesSnap, StageState
from bot.domain.stages import Slot
from bot.services import agreement as agreement_service
from bot.services import groups, home, meetings
from handlers.blocks.cards import agreement_message, rules_message, stage_card
from handlers.blocks.home import home_view
from handlers.deps import Deps

log = logging.getLogger("handlers")


def slot_of(state: StageState) -> Slot:
    return Slot(state.stage, state.theme, state.question, state.action_id)


def learn_names(client: WebClient, deps: Deps, group: GroupSnap) -> bool:
    """Look up display names for members we only know by id; True if any were learned."""
    found: dict[str, str] = {}
    for member in group.members:
        if member.display_name is None:
            user = client.users_info(user=member.user_id).get("user") or {}
            profile = user.get("profile") or {}
            found[member.user_id] = (user.get("real_name") or profile.get("real_name")
                                     or profile.get("display_name") or "")
    found = {k: v for k, v in found.items() if v}
    if found:
        groups.remember_names(deps.uow(), group.id, found)
    return bool(found)


def post_card(client: WebClient, deps: Deps, card: meetings.CardToPost) -> str:
    state = card.state
    if learn_names(client, deps, state.group):
        state, _ = meetings.card_state(deps.uow(), state.meeting.id, slot_of(state))
    text, blocks = stage_card(state, deps.texts)
    ts = client.chat_postMessage(channel=state.group.channel_id, text=text, blocks=blocks)["ts"]
    meetings.card_posted(deps.uow(), card.card_id, ts)
    for follower in card.followers:
        post_card(client, deps, follower)
    return ts


_card_locks: defaultdict[tuple[int, Slot], threading.Lock] = defaultdict(threading.Lock)


def refresh_cards(client: WebClient, deps: Deps, state: StageState) -> None:
    """Redraw every posted card of the stage with what it has gathered so far.

    Several listeners can redraw the same card at once (three actions added together). Each redraw
    re-reads the state under a per-card lock, so the last one to run always shows everything committed
    before it; a state computed earlier could otherwise overwrite a newer card. The web process serves
    with threads (one process), so an in-process lock is enough.
    """
    learn_names(client, deps, state.group)
    slot = slot_of(state)
    with _card_locks[(state.meeting.id, slot)]:
        fresh, cards = meetings.card_state(deps.uow(), state.meeting.id, slot)
        text, blocks = stage_card(fresh, deps.texts)
        for channel, ts in cards:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def post_rules(client: WebClient, deps: Deps, rules: RulesSnap, state: StageState) -> None:
    text, blocks = rules_message(rules, state.group, state.meeting.number, deps.texts)
    client.chat_postMessage(channel=state.group.channel_id, text=text, blocks=blocks)


def post_agreement(client: WebClient, deps: Deps, agreement: AgreementSnap, group: GroupSnap) -> None:
    learn_names(client, deps, group)
    group = groups.group_members(deps.uow(), team_id=group.team_id, channel_id=group.channel_id)
    text, blocks = agreement_message(agreement, group, deps.texts)
    ts = client.chat_postMessage(channel=group.channel_id, text=text, blocks=blocks)["ts"]
    agreement_service.agreement_posted(deps.uow(), agreement.id, group.channel_id, ts)


def refresh_agreement(client: WebClient, deps: Deps, agreement: AgreementSnap, group: GroupSnap) -> None:
    if agreement.channel_id is None or agreement.message_ts is None:
        return
    if learn_names(client, deps, group):
        group = groups.group_members(deps.uow(), team_id=group.team_id, channel_id=group.channel_id)
    text, blocks = agreement_message(agreement, group, deps.texts)
    client.chat_update(channel=agreement.channel_id, ts=agreement.message_ts, text=text, blocks=blocks)


def publish_home(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    """Draw the person's Home tab afresh: when they open it, and after each change they make.

    Called after the ack and after what they did is committed, so a failure here (Slack down, a view
    Slack refuses) is logged and swallowed: it must never turn a saved report or signature into an error.
    The tab is redrawn anyway the next time they open it.
    """
    try:
        view = home_view(home.home_for(deps.uow(), deps.clock, team_id=team_id, user_id=user_id), deps.texts)
        client.views_publish(user_id=user_id, view=view)
    except Exception as error:  # noqa: BLE001 - see the docstring
        log.warning("home not published user=%s type=%s", user_id, type(error).__name__, exc_info=error)


def dm(client: WebClient, user_id: str, text: str) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.chat_postMessage(channel=channel, text=text)
