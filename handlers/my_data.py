"""`/group my data` (a copy of what the bot holds about you, by DM) and `/group forget` (erasure in one
group, after a private confirmation with *Forget* / *Cancel* buttons)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.errors import BadInput
from bot.services import erasure, subject_access
from handlers.blocks.minutes import minutes_markdown
from handlers.blocks.my_data import forget_confirmation, my_data_json, my_data_markdown, parse_forget_value
from handlers.commands.context import Invocation
from handlers.commands.parse import mention
from handlers.deps import Deps
from handlers.errors import guarded
from handlers.ids import Act
from handlers.publish import publish_home


def my_data(inv: Invocation) -> None:
    """The ack has gone; say privately that the files are coming, gather, then upload both to the DM."""
    texts = inv.deps.texts
    if inv.rest.strip().lower() != "data":
        inv.tell(texts.say("my_data_usage"))
        return
    inv.tell(texts.ui("my_data_on_its_way"))
    data = subject_access.collect_my_data(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, user_id=inv.user_id)
    dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
    day = str(data["generated_at"])[:10]
    inv.client.files_upload_v2(
        channel=dm, initial_comment=texts.ui("my_data_comment", groups=len(data["groups"]),
                                             records=subject_access.count_records(data)),
        file_uploads=[
            {"content": my_data_markdown(data, texts), "filename": f"my-data-{day}.md",
             "title": texts.ui("my_data_title") + " (Markdown)"},
            {"content": my_data_json(data), "filename": f"my-data-{day}.json",
             "title": texts.ui("my_data_title") + " (JSON)"},
        ])


def forget(inv: Invocation) -> None:
    """`/group forget @person` or `/group forget me`: show what would go, with the buttons to confirm."""
    word = inv.rest.strip()
    target = inv.user_id if word.lower() == "me" else mention(word)
    if target is None:
        raise BadInput("forget_usage", given=word)
    plan = erasure.plan_erasure(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                actor=inv.user_id, target=target)
    text, blocks = forget_confirmation(plan, inv.deps.texts)
    inv.tell(text, blocks)


def handle_forget_confirmed(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                            respond: Respond, deps: Deps) -> None:
    ack()
    group_id, target = parse_forget_value(action["value"])
    texts = deps.texts
    done = erasure.erase_member(deps.uow(), deps.clock, group_id=group_id, actor=body["user"]["id"], target=target,
                                former=texts.ui("former_member"), removed=texts.ui("forget_removed_action"),
                                descriptions=deps.theme_descriptions,
                                render=lambda data: minutes_markdown(data, texts))
    respond(text=texts.ui("forget_done", own=done.own, group=done.group, records=done.records,
                          minutes=done.minutes), replace_original=True)
    publish_home(client, deps, body["team"]["id"], target)  # their Home tab no longer shows the group


def handle_forget_cancelled(ack: Ack, respond: Respond, deps: Deps) -> None:
    ack()
    respond(text=deps.texts.ui("forget_cancelled"), replace_original=True)


def register(app: App) -> None:
    app.action(Act.FORGET_CONFIRM)(guarded(handle_forget_confirmed))
    app.action(Act.FORGET_CANCEL)(guarded(handle_forget_cancelled))
