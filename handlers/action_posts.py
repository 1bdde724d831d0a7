"""Telling people about a new action: in the meeting's actions thread (or the channel) and by DM."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient

from bot.domain.erased import mention
from bot.domain.when import format_day
from bot.services import groups
from bot.services.actions import Added, ToConfirm
from bot.texts import slack_escape
from handlers.blocks.common import actions, as_dicts, button, sections
from handlers.deps import Deps
from handlers.ids import Act
from handlers.publish import dm, learn_names, publish_home, refresh_cards


def announce_action(client: WebClient, deps: Deps, added: Added) -> None:
    if learn_names(client, deps, added.group):
        added = replace(added, group=groups.group_members(deps.uow(), team_id=added.group.team_id,
                                                          channel_id=added.group.channel_id))
    a, g, texts = added.action, added.group, deps.texts
    due = format_day(a.due_date) if a.due_date else None
    words = {"ref": a.ref, "description": slack_escape(a.description), "agency": slack_escape(a.agency or "") or None,
             "due": due, "theme": slack_escape(a.theme or "") or None, "group": slack_escape(g.name)}
    channel, thread = added.thread or (g.channel_id, None)
    text = texts.ui("action_posted", owner=g.name_of(a.owner_id),
                    volunteer=g.name_of(a.volunteer_id) if a.volunteer_id else None, **words)
    if added.added_owner:
        text += "\n" + texts.ui("action_added_owner_note", owner=g.name_of(a.owner_id))
    client.chat_postMessage(channel=channel, thread_ts=thread, text=text)
    if added.card is not None:
        refresh_cards(client, deps, added.card)
    dm(client, a.owner_id, texts.ui("action_owner_dm", **words))
    if a.volunteer_id and a.volunteer_id != a.owner_id:
        dm(client, a.volunteer_id, texts.ui("action_volunteer_dm", **words))
    publish_home(client, deps, g.team_id, a.owner_id)  # the new action shows on the owner's Home with Report back


def confirm_prompt(deps: Deps, question: ToConfirm, replay: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """An ephemeral question with a button that replays the command with the answer added."""
    params = dict(question.params)
    if "due" in params:
        params["due"] = format_day(params["due"])
    if "user" in params:
        params["user"] = mention(params["user"])
    text = deps.texts.ui(f"confirm_{question.reason}", **params)
    value = json.dumps({**replay, "confirmed": sorted({*replay.get("confirmed", []), question.reason})})
    return text, as_dicts([*sections(text), actions(button(deps.texts.ui("confirm_yes"), Act.ADD_CONFIRMED, value,
                                                           "primary"), block_id="confirm-action")])
