"""Editing an action: the Edit action button on the Report back form, the edit form, and telling people."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.when import format_day
from bot.services import action_edits
from bot.texts import slack_escape
from handlers.blocks.action_edit import changed_fields, edit_modal
from handlers.blocks.action_lists import report_modal
from handlers.blocks.guardrail import form_errors
from handlers.deps import Deps
from handlers.errors import guarded
from handlers.ids import Act, Field
from handlers.ids import View as ViewId
from handlers.publish import dm, publish_home
from handlers.views import meta, values

FREE_TEXT = [Field.DESCRIPTION, Field.OBJECTIVE, Field.RESPONSIBLE_TEXT, Field.PREREQUISITES, Field.MILESTONE]


def handle_edit_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        deps: Deps) -> None:
    """From the Report back form: the edit form is pushed over it, and the form is redrawn after saving."""
    ack()
    form = action_edits.open_edit(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                                  actor=body["user"]["id"], action_id=int(action["value"]))
    from_view = (body.get("view") or {}).get("id")
    client.views_push(trigger_id=body["trigger_id"], view=edit_modal(form, deps.texts, from_view))


def handle_edit_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          deps: Deps) -> None:
    v, m = values(view), meta(view)
    if errors := form_errors(deps.texts, v, FREE_TEXT):
        ack(response_action="errors", errors=errors)  # may identify a resident: the author decides (no write)
        return
    plan = action_edits.PlanEdit(
        v.get(Field.DESCRIPTION) or "", v.get(Field.OWNER) or "", v.get(Field.OBJECTIVE), v.get(Field.AGENCY),
        "absent" not in (v.get(Field.AGENCY_ABSENT) or []), v.get(Field.VOLUNTEER),
        tuple(v.get(Field.RESPONSIBLE_USERS) or ()), v.get(Field.RESPONSIBLE_TEXT), v.get(Field.PREREQUISITES),
        v.get(Field.TARGET), v.get(Field.MILESTONE))
    edited = action_edits.edit_action(deps.uow(), deps.clock, action_id=int(m["action_id"]), actor=body["user"]["id"],
                                      plan=plan, request_key=f"view:{view['id']}")
    ack()
    actor = body["user"]["id"]
    announce_edit(client, deps, edited, actor)
    still_theirs = actor == edited.action.owner_id or any(c.user_id == actor for c in edited.group.chairs)
    if m.get("from_view") and still_theirs:  # someone who gave their action away no longer sees its form
        _redraw_report_form(client, deps, body, int(m["action_id"]), m["from_view"])


def announce_edit(client: WebClient, deps: Deps, edited: action_edits.Edited, actor: str) -> None:
    """The channel sees what changed; the editor is shown the reminder day; a reassignment DMs both owners."""
    a, g, t = edited.action, edited.group, deps.texts.ui
    if edited.edit is None:
        dm(client, actor, t("edited_nothing", ref=a.ref))
        return
    client.chat_postMessage(channel=g.channel_id, text=t("edited_channel", ref=a.ref, who=g.name_of(actor),
                                                         fields=changed_fields(edited.edit, deps.texts)))
    day = format_day(a.due_date) if a.due_date else None
    target = slack_escape(a.target_text) if a.target_text else None
    dm(client, actor, t("edited_thanks", ref=a.ref, target=target, day=day, past=edited.past_target))
    if edited.old_owner:
        words = {"ref": a.ref, "group": slack_escape(g.name), "description": slack_escape(a.description),
                 "who": g.name_of(actor)}
        dm(client, edited.old_owner, t("reassigned_old_dm", new=g.name_of(a.owner_id), **words))
        dm(client, a.owner_id, t("reassigned_new_dm", target=target, day=day, **words))
        for user in (edited.old_owner, a.owner_id):
            publish_home(client, deps, g.team_id, user)  # the action leaves one Home and joins the other


def _redraw_report_form(client: WebClient, deps: Deps, body: dict[str, Any], action_id: int, view_id: str) -> None:
    """The Report back form underneath shows the new history; if it was closed meanwhile, nothing is lost."""
    form = action_edits.open_edit(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                                  actor=body["user"]["id"], action_id=action_id, what="action.report")
    try:
        client.views_update(view_id=view_id, view=report_modal(form.action, form.group, form.updates, deps.texts,
                                                               form.edits))
    except SlackApiError:
        pass  # the person closed it already: the next one they open is drawn afresh


def register(app: App) -> None:
    app.action(Act.EDIT_OPEN)(guarded(handle_edit_clicked))
    app.view(ViewId.EDIT_ACTION)(guarded(handle_edit_submitted))
