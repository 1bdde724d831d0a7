"""Reporting back on actions: the Report back button and form, and telling the group."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_sdk import WebClient

from bot.services import action_edits, meetings, reports
from bot.texts import slack_escape
from handlers.blocks.action_lists import report_modal
from handlers.blocks.guardrail import form_errors
from handlers.deps import Deps
from handlers.errors import guarded, tell
from handlers.ids import Act, Field
from handlers.ids import View as ViewId
from handlers.publish import publish_home, refresh_cards
from handlers.views import meta, values


def handle_report_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                          deps: Deps) -> None:
    ack()
    form = action_edits.open_edit(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                                  actor=body["user"]["id"], action_id=int(action["value"]), what="action.report")
    client.views_open(trigger_id=body["trigger_id"],
                      view=report_modal(form.action, form.group, form.updates, deps.texts, form.edits))


def handle_report_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                            deps: Deps) -> None:
    v = values(view)
    if errors := form_errors(deps.texts, v, [Field.NOTE]):
        ack(response_action="errors", errors=errors)  # may identify a resident: the author decides (no write)
        return
    due = v.get(Field.DUE)
    reported = reports.report_action(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                                     actor=body["user"]["id"], ref="", status=v.get(Field.STATUS) or "",
                                     note=v.get(Field.NOTE), request_key=f"view:{view['id']}",
                                     new_due=date.fromisoformat(due) if due else None,
                                     action_id=meta(view)["action_id"])
    ack()
    announce_report(client, deps, reported, body)
    publish_home(client, deps, body["team"]["id"], body["user"]["id"])


def announce_report(client: WebClient, deps: Deps, reported: reports.Reported, body: dict[str, Any]) -> None:
    """The group sees the news in its channel; the reporter gets a private thank-you.

    In a meeting that has a report-back card for the action, the card (and the stage card's tally) is
    redrawn instead of a separate channel message: the news is where the group is looking.
    """
    if not reported.new:
        return
    a, g, u, texts = reported.action, reported.group, reported.update, deps.texts
    status = texts.ui(f"status_{u.new_status}")
    cards = meetings.report_back_cards(deps.uow(), a.id)
    if cards is None:
        client.chat_postMessage(channel=g.channel_id, text=texts.ui(
            "reported", ref=a.ref, status=status, who=g.name_of(u.author), note=slack_escape(u.note or "") or None))
    else:
        meeting_id, slots = cards
        for slot in slots:
            refresh_cards(client, deps, meetings.card_state(deps.uow(), meeting_id, slot)[0])
    tell(client, body, texts.ui("reported_thanks", ref=a.ref, status=status))


def register(app: App) -> None:
    app.action(Act.REPORT_OPEN)(guarded(handle_report_clicked))
    app.view(ViewId.REPORT)(guarded(handle_report_submitted))
