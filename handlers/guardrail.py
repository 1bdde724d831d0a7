"""The author's answers to the resident-data guardrail: Edit / Keep as written / Remove on a held thread
reply (bot/services/held_replies.py), the Edit form, and Cancel on a command's warning.

Only the author sees these buttons (they come in an ephemeral message); the services check it anyway.
A released reply gets its ✅ and is counted on its card only now.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.services import held_replies
from handlers.blocks.guardrail import confirmed, edit_reply_modal
from handlers.deps import Deps
from handlers.errors import guarded
from handlers.ids import Act, Field
from handlers.ids import View as ViewId
from handlers.publish import refresh_cards
from handlers.views import meta, values


def handle_keep_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond,
                        deps: Deps) -> None:
    ack()
    kept = held_replies.keep_as_written(deps.uow(), deps.clock, contribution_id=int(action["value"]),
                                        user_id=body["user"]["id"])
    if kept.changed:
        _released(client, deps, kept)
    _answer(respond, deps.texts.ui("guardrail_kept" if kept.changed else "guardrail_already_kept"))


def handle_remove_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                          respond: Respond, deps: Deps) -> None:
    ack()
    removed = held_replies.remove_held(deps.uow(), deps.clock, contribution_id=int(action["value"]),
                                       user_id=body["user"]["id"])
    if removed.changed:
        refresh_cards(client, deps, removed.state)  # it may have been counted, if it was kept before
    _answer(respond, deps.texts.ui("guardrail_removed"))


def handle_edit_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        deps: Deps) -> None:
    ack()
    contribution_id = int(action["value"])
    text = held_replies.held_text(deps.uow(), deps.clock, contribution_id=contribution_id, user_id=body["user"]["id"])
    view = edit_reply_modal(contribution_id, text, deps.texts, channel_id=(body.get("channel") or {}).get("id"))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_edit_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          deps: Deps) -> None:
    v, m, user = values(view), meta(view), body["user"]["id"]
    # Still identifying and not confirmed: StillIdentifies, shown under the field by the error path.
    edited = held_replies.edit_held(deps.uow(), deps.clock, contribution_id=m["contribution_id"], user_id=user,
                                    text=v[Field.TEXT], confirmed=confirmed(v))
    ack()
    if edited.changed:
        _released(client, deps, edited)
    else:
        refresh_cards(client, deps, edited.state)  # it was in the record already: the card shows the new text
    if m.get("channel_id"):
        client.chat_postEphemeral(channel=m["channel_id"], user=user, text=deps.texts.ui("guardrail_edited"))


def handle_cancel_clicked(ack: Ack, respond: Respond, deps: Deps) -> None:
    ack()
    _answer(respond, deps.texts.ui("guardrail_cancelled"))


def _released(client: WebClient, deps: Deps, reply: held_replies.HeldReply) -> None:
    if reply.channel_id and reply.message_ts:
        client.reactions_add(channel=reply.channel_id, timestamp=reply.message_ts, name="white_check_mark")
    refresh_cards(client, deps, reply.state)


def _answer(respond: Respond, text: str) -> None:
    """Replace the warning (and its buttons) with the outcome, still only for the author."""
    respond(text=text, response_type="ephemeral", replace_original=True)


def register(app: App) -> None:
    app.action(Act.GUARD_KEEP)(guarded(handle_keep_clicked))
    app.action(Act.GUARD_REMOVE)(guarded(handle_remove_clicked))
    app.action(Act.GUARD_EDIT)(guarded(handle_edit_clicked))
    app.action(Act.GUARD_CANCEL)(guarded(handle_cancel_clicked))
    app.view(ViewId.GUARD_EDIT)(guarded(handle_edit_submitted))
