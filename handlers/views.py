"""Modal submissions. What was typed is validated and committed before the ack (so a problem shows
in the modal and nothing is lost), then the channel is updated after it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_sdk import WebClient

from bot.domain.stages import Slot, StageKey
from bot.domain.text import clean_text
from bot.domain.when import format_day
from bot.services import actions, agreement, checkins, contributions, groups
from bot.services.groups import GroupSetup
from bot.texts import slack_escape
from handlers.action_posts import announce_action
from handlers.blocks.action_modals import add_action_modal
from handlers.blocks.checkin import week_label
from handlers.blocks.guardrail import form_errors
from handlers.deps import Deps
from handlers.errors import guarded
from handlers.ids import Field, answer_block, chair_only_block
from handlers.ids import View as ViewId
from handlers.publish import dm, learn_names, post_agreement, post_rules, publish_home, refresh_cards


def values(view: dict[str, Any]) -> dict[str, Any]:
    """Each input's value as a plain Python value, by block id."""
    out: dict[str, Any] = {}
    for block_id, by_action in view["state"]["values"].items():
        for element in by_action.values():
            kind = element.get("type")
            if kind == "static_select":
                out[block_id] = (element.get("selected_option") or {}).get("value")
            elif kind == "users_select":
                out[block_id] = element.get("selected_user")
            elif kind == "datepicker":
                out[block_id] = element.get("selected_date")
            elif kind == "checkboxes":
                out[block_id] = [o["value"] for o in element.get("selected_options") or []]
            elif kind == "multi_users_select":
                out[block_id] = element.get("selected_users") or []
            else:
                out[block_id] = clean_text(element.get("value") or "")  # no NUL for PostgreSQL, see there
    return out


def meta(view: dict[str, Any]) -> dict[str, Any]:
    return json.loads(view.get("private_metadata") or "{}")


def handle_setup_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           deps: Deps) -> None:
    v, texts = values(view), deps.texts
    setup = GroupSetup(v[Field.NAME], v[Field.THEME_SET] or "", v[Field.TIMEZONE], v[Field.CHAIR] or "",
                       tuple(v.get(Field.CO_CHAIRS) or ()))
    errors = groups.validate_setup(setup, frozenset(texts.theme_sets))
    if errors:
        ack(response_action="errors", errors={f: texts.say(code) for f, code in errors.items()})
        return
    channel_id = meta(view)["channel_id"]
    group = groups.setup_group(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id=channel_id,
                               actor=body["user"]["id"], setup=setup)
    ack()
    learn_names(client, deps, group)
    co = ", ".join(f"<@{u}>" for u in setup.co_chairs if u != setup.chair) or None
    client.chat_postMessage(channel=channel_id, text=texts.ui(
        "setup_done", name=group.name, chair=f"<@{setup.chair}>", co_chairs=co,
        theme_set=texts.theme_sets[group.theme_set].name, timezone=group.timezone))


def handle_contribution_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                                  deps: Deps) -> None:
    m, v = meta(view), values(view)
    if errors := form_errors(deps.texts, v, [Field.TEXT]):
        ack(response_action="errors", errors=errors)  # may identify a resident: the author decides (no write)
        return
    recorded = contributions.contribute_by_modal(deps.uow(), deps.clock, meeting_id=m["meeting_id"],
                                                 slot=Slot(m["stage"], m.get("theme"), m.get("question")),
                                                 user_id=body["user"]["id"], text=v[Field.TEXT],
                                                 view_id=view["id"])
    ack()
    if recorded.new:
        refresh_cards(client, deps, recorded.state)


def handle_check_in_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                              deps: Deps) -> None:
    v = values(view)
    if errors := form_errors(deps.texts, v, [Field.FEELING]):
        ack(response_action="errors", errors=errors)
        return
    recorded = contributions.check_in(deps.uow(), deps.clock, meeting_id=meta(view)["meeting_id"],
                                      user_id=body["user"]["id"], organisation=v.get(Field.ORGANISATION, ""),
                                      feeling=v.get(Field.FEELING, ""), view_id=view["id"])
    ack()
    if recorded.new:
        refresh_cards(client, deps, recorded.state)


def handle_rules_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           deps: Deps) -> None:
    adopted = agreement.adopt_rules(deps.uow(), deps.clock, meeting_id=meta(view)["meeting_id"],
                                    actor=body["user"]["id"], rules=agreement.parse_rules(values(view)[Field.TEXT]),
                                    request_key=f"view:{view['id']}")
    ack()
    if adopted.new:
        post_rules(client, deps, adopted.rules, adopted.state)
        refresh_cards(client, deps, adopted.state)


def handle_agreement_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                               deps: Deps) -> None:
    published = agreement.publish_agreement(deps.uow(), deps.clock, meeting_id=meta(view)["meeting_id"],
                                            actor=body["user"]["id"], text=values(view)[Field.TEXT],
                                            request_key=f"view:{view['id']}")
    ack()
    if published.new:
        post_agreement(client, deps, published.agreement, published.state.group)
        refresh_cards(client, deps, published.state)


def handle_feedback_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                              deps: Deps) -> None:
    v = values(view)
    if errors := form_errors(deps.texts, v, [Field.TEXT, Field.TAKEAWAY]):
        ack(response_action="errors", errors=errors)
        return
    feeling, takeaway = v.get(Field.TEXT, "").strip(), v.get(Field.TAKEAWAY, "").strip()
    # The text is what the feedback says first; `feeling` records whether it is a feeling or a takeaway.
    details = {"takeaway": takeaway or None, "rating": v.get(Field.RATING), "feeling": bool(feeling)}
    recorded = contributions.contribute_by_modal(deps.uow(), deps.clock, meeting_id=meta(view)["meeting_id"],
                                                 slot=Slot(StageKey.FEEDBACK), user_id=body["user"]["id"],
                                                 text=feeling or takeaway, view_id=view["id"], details=details)
    ack()
    if recorded.new:
        refresh_cards(client, deps, recorded.state)


def handle_add_action_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                                deps: Deps) -> None:
    v, m = values(view), meta(view)
    if errors := form_errors(deps.texts, v, [Field.DESCRIPTION, Field.PREREQUISITES]):
        ack(response_action="errors", errors=errors)
        return
    new = actions.NewAction(v[Field.DESCRIPTION], v.get(Field.OWNER) or "", v.get(Field.AGENCY), v.get(Field.THEME),
                            v.get(Field.DUE), v.get(Field.PREREQUISITES), v.get(Field.VOLUNTEER),
                            agency_in_group="absent" not in (v.get(Field.AGENCY_ABSENT) or []))
    result = actions.add_action(deps.uow(), deps.clock, team_id=body["team"]["id"], channel_id=m["channel_id"],
                                actor=body["user"]["id"], new=new, catalogue=deps.catalogue,
                                request_key=f"view:{view['id']}", source="modal", confirmed=frozenset(m["confirmed"]))
    if isinstance(result, actions.ToConfirm):
        key = f"confirm_{result.reason}_modal"
        warning = deps.texts.ui(key, **{k: (f"<@{x}>" if k == "user" else format_day(x))
                                        for k, x in result.params.items()})
        ack(response_action="update", view=add_action_modal(
            m["channel_id"], m.get("themes", []), [], deps.texts, initial=v,
            confirmed=sorted({*m["confirmed"], result.reason}), warning=warning))
        return
    ack()
    if result.new:
        announce_action(client, deps, result)


def handle_weekly_checkin_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                                    deps: Deps) -> None:
    v, m = values(view), meta(view)
    if errors := form_errors(deps.texts, v, [answer_block(q.key) for q in deps.texts.checkin_questions]):
        ack(response_action="errors", errors=errors)
        return
    answers = {q.key: (v.get(answer_block(q.key)) or "", "chair_only" in (v.get(chair_only_block(q.key)) or []))
               for q in deps.texts.checkin_questions}
    saved = checkins.save_answers(deps.uow(), deps.clock, group_id=m["group_id"], week=date.fromisoformat(m["week"]),
                                  user_id=body["user"]["id"], answers=answers, view_id=view["id"])
    ack()
    if saved.new:
        dm(client, body["user"]["id"], deps.texts.ui("checkin_saved", group=slack_escape(saved.group),
                                                     week=week_label(saved.week), edited=saved.edited))
        publish_home(client, deps, body["team"]["id"], body["user"]["id"])


def register(app: App) -> None:
    app.view(ViewId.SETUP)(guarded(handle_setup_submitted))
    app.view(ViewId.CONTRIBUTE)(guarded(handle_contribution_submitted))
    app.view(ViewId.CHECK_IN)(guarded(handle_check_in_submitted))
    app.view(ViewId.ADOPT)(guarded(handle_rules_submitted))
    app.view(ViewId.PUBLISH)(guarded(handle_agreement_submitted))
    app.view(ViewId.FEEDBACK)(guarded(handle_feedback_submitted))
    app.view(ViewId.ADD_ACTION)(guarded(handle_add_action_submitted))
    app.view(ViewId.WEEKLY_CHECKIN)(guarded(handle_weekly_checkin_submitted))
