"""Button clicks on stage cards, decision prompts and the agreement message."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.stages import Slot, StageKey
from bot.services import actions, agreement, checkins, contributions, groups, meetings
from handlers.action_edits import register as register_action_edits
from handlers.blocks.action_modals import add_action_modal, feedback_modal, theme_answer_modal
from handlers.blocks.checkin import checkin_modal
from handlers.blocks.common import local_date
from handlers.blocks.modals import agreement_modal, check_in_modal, contribute_modal, rules_modal
from handlers.commands.actions import add_from_text, report_from_text
from handlers.deps import Deps
from handlers.errors import guarded, tell
from handlers.ids import Act, parse_card_slot, parse_card_value
from handlers.moves import announce_end, show_move
from handlers.my_data import register as register_my_data
from handlers.publish import post_rules, publish_home, refresh_agreement, refresh_cards


def handle_contribute_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                              deps: Deps) -> None:
    ack()
    meeting_id, stage = parse_card_value(action["value"])
    organisation = contributions.open_form(deps.uow(), meeting_id=meeting_id, user_id=body["user"]["id"])
    if stage == StageKey.CHECK_IN:
        view = check_in_modal(meeting_id, organisation, deps.texts)
    elif stage == StageKey.FEEDBACK:
        group = groups.find_group(deps.uow(), body["team"]["id"], body["channel"]["id"])
        view = feedback_modal(meeting_id, deps.texts, named=bool(group and group.name_feedback))
    elif stage == StageKey.THEMES:
        theme, question = parse_card_slot(action.get("block_id", ""))
        view = theme_answer_modal(meeting_id, theme, question, question_text(deps, body, question), deps.texts)
    else:
        view = contribute_modal(meeting_id, stage, deps.texts)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def question_text(deps: Deps, body: dict[str, Any], question: str) -> str:
    group = groups.find_group(deps.uow(), body["team"]["id"], body["channel"]["id"])
    theme_set = deps.texts.theme_sets[group.theme_set if group else "my_home_life"]
    return theme_set.questions[question]


def handle_add_action_clicked(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    ack()
    channel = body["channel"]["id"]
    orgs, themes = actions.known_organisations(deps.uow(), team_id=body["team"]["id"], channel_id=channel)
    client.views_open(trigger_id=body["trigger_id"], view=add_action_modal(channel, themes, orgs, deps.texts))


def handle_add_confirmed(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                         respond: Respond, deps: Deps) -> None:
    ack()
    replay = json.loads(action["value"])
    add_from_text(client, deps, body["team"]["id"], body["channel"]["id"], body["user"]["id"], replay["text"],
                  replay["key"], replay["confirmed"], lambda text, blocks=None: respond(
                      text=text, blocks=blocks, response_type="ephemeral", replace_original=True))


def handle_report_confirmed(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                            respond: Respond, deps: Deps) -> None:
    """Keep as written, after the resident-data guardrail's warning on `/actions report`'s note."""
    ack()
    replay = json.loads(action["value"])
    respond(text=deps.texts.ui("guardrail_command_kept"), response_type="ephemeral", replace_original=True)
    report_from_text(client, deps, body["team"]["id"], body["channel"]["id"], body["user"]["id"], replay["text"],
                     replay["key"], True, lambda text, blocks=None: respond(
                         text=text, blocks=blocks, response_type="ephemeral", replace_original=False))


def handle_apologies_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                             deps: Deps) -> None:
    ack()
    meeting_id, _ = parse_card_value(action["value"])
    state = contributions.send_apologies(deps.uow(), deps.clock, meeting_id=meeting_id, user_id=body["user"]["id"])
    if state is None:
        tell(client, body, deps.texts.stage("check_in", "apologies_but_here"))
        return
    refresh_cards(client, deps, state)
    tell(client, body, deps.texts.stage("check_in", "apologies_thanks", number=state.meeting.number))


def handle_close_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                         deps: Deps) -> None:
    ack()
    ended = meetings.end_meeting(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id=body["channel"]["id"],
                                 actor=body["user"]["id"], drawn_at=parse_card_value(action["value"]))
    announce_end(client, deps, ended, body["channel"]["id"])


def handle_next_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        respond: Respond, deps: Deps) -> None:
    ack()
    _move(body, action, client, respond, deps, confirmed=False)


def handle_move_on_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                           respond: Respond, deps: Deps) -> None:
    ack()
    _move(body, action, client, respond, deps, confirmed=True)


def _move(body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, deps: Deps,
          confirmed: bool) -> None:
    result = meetings.move_meeting(deps.uow(), deps.clock, team_id=body["team"]["id"],
                                   channel_id=body["channel"]["id"], actor=body["user"]["id"], how="next",
                                   confirmed=confirmed, drawn_at=drawn_at(action))
    show_move(client, deps, result, lambda text, blocks=None: respond(
        text=text, blocks=blocks, response_type="ephemeral", replace_original=False))


def drawn_at(action: dict[str, Any]) -> tuple[int, Slot]:
    """The meeting and slot a card's button was drawn in: its value, and for a theme card the theme and
    question in its block id, so a double click on one question's Next cannot move two questions on."""
    meeting_id, stage = parse_card_value(action["value"])
    theme, question = parse_card_slot(action.get("block_id", "")) if stage == StageKey.THEMES else ("", "")
    return meeting_id, Slot(stage, theme or None, question or None)


def handle_write_up_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                            deps: Deps) -> None:
    ack()
    meeting_id, stage = parse_card_value(action["value"])
    draft = agreement.draft(deps.uow(), deps.clock, meeting_id=meeting_id, stage=stage, actor=body["user"]["id"])
    if stage == StageKey.GROUND_RULES:
        view = rules_modal(meeting_id, draft.items, draft.next_version, deps.texts)
    else:
        view = agreement_modal(meeting_id, draft.items, draft.next_version, deps.texts, draft.current_text)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_adopt_all_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                             respond: Respond, deps: Deps) -> None:
    ack()
    meeting_id, stage = parse_card_value(action["value"])
    actor = body["user"]["id"]
    draft = agreement.draft(deps.uow(), deps.clock, meeting_id=meeting_id, stage=stage, actor=actor)
    adopted = agreement.adopt_rules(deps.uow(), deps.clock, meeting_id=meeting_id, actor=actor,
                                    rules=agreement.parse_rules("\n".join(draft.items)),
                                    request_key=f"adopt-all:{meeting_id}")
    if adopted.new:
        post_rules(client, deps, adopted.rules, adopted.state)
        refresh_cards(client, deps, adopted.state)
    _move(body, action, client, respond, deps, confirmed=True)


def handle_sign_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        deps: Deps) -> None:
    ack()
    signed = agreement.sign_agreement(deps.uow(), deps.clock, version_id=int(action["value"]),
                                      user_id=body["user"]["id"])
    if signed.new:
        refresh_agreement(client, deps, signed.agreement, signed.group)
        if (body.get("view") or {}).get("type") == "home":
            publish_home(client, deps, body["team"]["id"], body["user"]["id"])
        message = deps.texts.ui("signed_thanks", version=signed.agreement.version)
    else:
        when = next(t for u, t in signed.agreement.signed if u == body["user"]["id"])
        message = deps.texts.ui("already_signed", version=signed.agreement.version,
                                date=local_date(when, signed.group.timezone))
    tell(client, body, message)


def handle_answer_checkin_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                                  deps: Deps) -> None:
    ack()
    group_id, _, week = action["value"].partition(":")
    form = checkins.open_form(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id="",
                              user_id=body["user"]["id"], group_id=int(group_id), week=date.fromisoformat(week))
    client.views_open(trigger_id=body["trigger_id"], view=checkin_modal(form, deps.texts))


def register(app: App) -> None:
    app.action(Act.CONTRIBUTE)(guarded(handle_contribute_clicked))
    app.action(Act.NEXT)(guarded(handle_next_clicked))
    app.action(Act.MOVE_ON)(guarded(handle_move_on_clicked))
    app.action(Act.ADOPT_OPEN)(guarded(handle_write_up_clicked))
    app.action(Act.WRITE_UP)(guarded(handle_write_up_clicked))
    app.action(Act.ADOPT_ALL)(guarded(handle_adopt_all_clicked))
    app.action(Act.SIGN)(guarded(handle_sign_clicked))
    app.action(Act.ADD_ACTION)(guarded(handle_add_action_clicked))
    app.action(Act.ADD_CONFIRMED)(guarded(handle_add_confirmed))
    app.action(Act.REPORT_CONFIRMED)(guarded(handle_report_confirmed))
    app.action(Act.CLOSE)(guarded(handle_close_clicked))
    app.action(Act.ANSWER_CHECKIN)(guarded(handle_answer_checkin_clicked))
    app.action(Act.APOLOGIES)(guarded(handle_apologies_clicked))
    register_my_data(app)  # the erasure confirmation's buttons
    register_action_edits(app)  # Edit action on the Report back form, and the edit form
