"""Events: thread replies to stage cards (new, edited, deleted) and people joining the channel."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.domain.text import clean_text
from bot.services import contributions, groups
from handlers.blocks.guardrail import held_reply_message
from handlers.deps import Deps
from handlers.errors import guarded
from handlers.publish import publish_home, refresh_cards

PENDING_CARD_TRIES, PENDING_CARD_PAUSE = 40, 0.025  # about a second, in the listener's thread (after the ack)


def handle_message(event: dict[str, Any], body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    subtype, team = event.get("subtype"), str(body.get("team_id") or "")  # channel ids are per workspace
    if subtype == "message_changed":
        _edited(event, team, client, deps)
    elif subtype == "message_deleted":
        _deleted(event, team, client, deps)
    elif subtype in (None, "thread_broadcast", "file_share") and not event.get("bot_id"):
        _replied(event, team, client, deps)


def _replied(event: dict[str, Any], team: str, client: WebClient, deps: Deps) -> None:
    thread_ts, ts = event.get("thread_ts"), event["ts"]
    if not thread_ts or thread_ts == ts:
        return  # only replies in a card's thread are contributions
    recorded = _record_reply(event, team, thread_ts, ts, deps)
    if recorded is not None and recorded.held:
        # May identify a resident: no ✅ and no redrawn card until the author chooses (handlers/guardrail.py).
        _warn_author(client, deps, event["channel"], thread_ts, event["user"], recorded.contribution_id, recorded.held)
        return
    if recorded is None or not recorded.new:
        return
    client.reactions_add(channel=event["channel"], timestamp=ts, name="white_check_mark")
    refresh_cards(client, deps, recorded.state)


def _record_reply(event: dict[str, Any], team: str, thread_ts: str, ts: str,
                  deps: Deps) -> contributions.Recorded | None:
    # A reply can reach us in the instant between Slack accepting a card and our recording its ts; while
    # a card in the channel is in that state, look again briefly instead of dropping the reply.
    for _ in range(PENDING_CARD_TRIES):
        pending = contributions.card_pending(deps.uow(), team_id=team, channel_id=event["channel"])  # asked first
        recorded = contributions.contribute_in_thread(deps.uow(), deps.clock, team_id=team,
                                                      channel_id=event["channel"], thread_ts=thread_ts, ts=ts,
                                                      user_id=event["user"],
                                                      text=clean_text(event.get("text") or ""))
        # Only a miss while a card was pending *before* the lookup is worth another look; asking after it
        # would drop a reply whose card's ts was recorded between the two questions.
        if recorded is not None or not pending:
            return recorded
        time.sleep(PENDING_CARD_PAUSE)
    return None


def _edited(event: dict[str, Any], team: str, client: WebClient, deps: Deps) -> None:
    message = event.get("message") or {}
    edited = contributions.edit_in_thread(deps.uow(), deps.clock, team_id=team, channel_id=event["channel"],
                                          ts=message.get("ts", ""), text=clean_text(message.get("text") or ""))
    if edited is None:
        return
    if edited.hold == "held":  # it had its ✅ and counted; now it is held, so neither
        client.reactions_remove(channel=event["channel"], timestamp=message["ts"], name="white_check_mark")
    elif edited.hold == "released":
        client.reactions_add(channel=event["channel"], timestamp=message["ts"], name="white_check_mark")
    if edited.hold in ("held", "still"):
        _warn_author(client, deps, event["channel"], message.get("thread_ts") or message["ts"], edited.user_id,
                     edited.contribution_id, edited.kinds)
    refresh_cards(client, deps, edited.state)


def _warn_author(client: WebClient, deps: Deps, channel: str, thread_ts: str, user: str, contribution_id: int,
                 kinds: frozenset[str]) -> None:
    text, blocks = held_reply_message(contribution_id, kinds, deps.texts)
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text, blocks=blocks)


def _deleted(event: dict[str, Any], team: str, client: WebClient, deps: Deps) -> None:
    ts = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts", "")
    state = contributions.withdraw_in_thread(deps.uow(), deps.clock, team_id=team, channel_id=event["channel"],
                                             ts=ts)
    if state is not None:
        refresh_cards(client, deps, state)


def handle_member_joined(event: dict[str, Any], body: dict[str, Any], deps: Deps) -> None:
    groups.join_group(deps.uow(), deps.clock, team_id=body.get("team_id", ""), channel_id=event["channel"],
                      user_id=event["user"])


def handle_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    if event.get("tab", "home") == "home":
        publish_home(client, deps, body.get("team_id", ""), event["user"])


def register(app: App) -> None:
    app.event("message")(guarded(handle_message))
    app.event("app_home_opened")(guarded(handle_home_opened))
    app.event("member_joined_channel")(guarded(handle_member_joined))
