"""`/assess`: a manager's self-assessment of their home; the chair opens a round for every home.

`/assess` works in the group's channel or in a DM with the bot (then in the group where the person
manages a home): the form opens privately either way, and the answers are not posted anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.assessment import FirstStep
from bot.domain.errors import BadInput, DomainError
from bot.services import assessment_progress, assessments, forward_plans
from handlers.blocks.assessment import answers_from, assessment_modal, progress_table, scale_for
from handlers.blocks.assessment_progress import progress_chart
from handlers.blocks.common import local_date
from handlers.blocks.forward_plan import challenge_button, check_modal, check_values, plan_modal, plan_values
from handlers.commands.context import Invocation, run_subcommand
from handlers.deps import Deps
from handlers.errors import guarded, message_for
from handlers.ids import Act
from handlers.ids import View as ViewId
from handlers.jobs import send_due_assessments
from handlers.publish import dm


def handle_assess_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                          deps: Deps) -> None:
    run_subcommand("/assess", SUBCOMMANDS, ack, command, client, respond, deps)


def _open(inv: Invocation) -> None:
    form = assessments.open_form(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                 user_id=inv.user_id)
    inv.client.views_open(trigger_id=inv.trigger_id, view=assessment_modal(form, inv.deps.texts))


def _help(inv: Invocation) -> None:
    inv.tell(inv.deps.texts.help("assess"))


def _round(inv: Invocation) -> None:
    opened = assessments.open_round(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                    channel_id=inv.channel_id, actor=inv.user_id)
    inv.tell(inv.deps.texts.ui("assess_round_opened", group=opened.group, n=opened.invited,
                               remind=local_date(opened.remind_at, "UTC")))
    send_due_assessments(inv.client, inv.deps)  # after the ack: the fan-out may take a while


def _plan(inv: Invocation) -> None:
    form = forward_plans.plan_form(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, user_id=inv.user_id)
    inv.client.views_open(trigger_id=inv.trigger_id, view=plan_modal(form, inv.deps.texts))


def _progress(inv: Invocation) -> None:
    """The table privately here, and the chart as a PNG in a DM: a chair's names every home."""
    texts = inv.deps.texts
    p = assessment_progress.progress(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                     user_id=inv.user_id, scale_for=partial(scale_for, texts))
    inv.tell(progress_table(p, texts))
    if p.assessments:
        dm_channel = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
        inv.client.files_upload_v2(channel=dm_channel, content=progress_chart(p, texts),
                                   filename="assessment-levels.png",
                                   title=texts.ui("progress_chart_title", group=p.group),
                                   initial_comment=texts.ui("progress_comment", group=p.group, whole=p.whole_group))
        inv.tell(texts.ui("progress_sent", group=p.group))


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {"": _open, "help": _help, "round": _round, "plan": _plan,
                                                        "progress": _progress}


def handle_open_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        deps: Deps) -> None:
    ack()
    group_id, _, round_id = action["value"].partition(":")
    form = assessments.open_form(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                                 user_id=body["user"]["id"], group_id=int(group_id),
                                 round_id=int(round_id) if round_id.isdigit() else None)
    client.views_open(trigger_id=body["trigger_id"], view=assessment_modal(form, deps.texts))


def handle_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Saved before the ack (a problem shows in the form and nothing is lost); the confirmation by DM after."""
    meta = json.loads(view.get("private_metadata") or "{}")
    user = body["user"]["id"]
    form = assessments.open_form(deps.uow(), deps.clock, team_id="", channel_id="", user_id=user,
                                 group_id=int(meta["group_id"]))
    try:
        saved = assessments.save(deps.uow(), deps.clock, group_id=form.group_id, user_id=user,
                                 answers=answers_from(view, deps.texts, form.set_key),
                                 scale_for=partial(scale_for, deps.texts), round_id=meta.get("round_id"))
    except DomainError as exc:
        first = next(iter(view["state"]["values"]), "")
        ack(response_action="errors", errors={first: message_for(exc, deps.texts)[:150]})
        return
    ack()
    key = "assess_saved_complete" if saved.complete else "assess_saved_part"
    text = deps.texts.ui(key, home=saved.home, group=saved.group, done=saved.done, total=saved.total)
    if saved.complete and saved.assessment_id is not None:  # "Take the challenge" starts from a completed one
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=channel, text=text, blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            challenge_button(deps.texts, saved.assessment_id)])
    else:
        dm(client, user, text)


def handle_plan_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        deps: Deps) -> None:
    ack()
    form = forward_plans.plan_form(deps.uow(), deps.clock, team_id=body["team"]["id"], user_id=body["user"]["id"],
                                   assessment_id=int(action["value"]))
    client.views_open(trigger_id=body["trigger_id"], view=plan_modal(form, deps.texts))


def handle_plan_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          deps: Deps) -> None:
    v, user = plan_values(view), body["user"]["id"]
    try:
        step = None
        if v["add"]:
            if not v["owner"] or not v["due"]:
                raise BadInput("plan_need_owner_due")
            step = FirstStep(v["owner"], date.fromisoformat(v["due"]))
        saved = forward_plans.save_plan(deps.uow(), deps.clock, assessment_id=int(json.loads(
            view["private_metadata"])["assessment_id"]), user_id=user, theme=v["theme"], answers=v["answers"],
            first_step=step, catalogue=deps.catalogue, request_key=f"plan:{view['id']}")
    except BadInput as exc:
        block = {"plan_need_owner_due": "plan_due", "plan_due_past": "plan_due",
                 "plan_bad_theme": "plan_theme"}.get(exc.code, "plan_achieve")
        ack(response_action="errors", errors={block: message_for(exc, deps.texts)[:150]})
        return
    ack()
    dm(client, user, deps.texts.ui("plan_saved", theme=saved.theme, ref=saved.action_ref,
                                   check_on=saved.check_on.strftime("%-d %B %Y")))


def handle_check_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                         deps: Deps) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=check_modal(int(action["value"]), deps.texts))


def handle_check_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           deps: Deps) -> None:
    seen, note = check_values(view)
    user = body["user"]["id"]
    try:
        theme = forward_plans.record_check(deps.uow(), deps.clock, plan_id=int(json.loads(
            view["private_metadata"])["plan_id"]), user_id=user, seen=seen, note=note)
    except DomainError as exc:
        ack(response_action="errors", errors={"plan_seen": message_for(exc, deps.texts)[:150]})
        return
    ack()
    dm(client, user, deps.texts.ui("plan_check_saved", theme=theme))


def register(app: App) -> None:
    app.command("/assess")(guarded(handle_assess_command))
    app.action(Act.ASSESS_OPEN)(guarded(handle_open_clicked))
    app.view(ViewId.ASSESS)(guarded(handle_submitted))
    app.action(Act.PLAN_OPEN)(guarded(handle_plan_clicked))
    app.view(ViewId.PLAN)(guarded(handle_plan_submitted))
    app.action(Act.PLAN_CHECK_OPEN)(guarded(handle_check_clicked))
    app.view(ViewId.PLAN_CHECK)(guarded(handle_check_submitted))
