"""`/group`: set up the group, give members roles and organisations, list them (§3.4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.roles import Role
from bot.services import groups, minutes
from handlers import my_data
from handlers.blocks.minutes import minutes_markdown
from handlers.blocks.modals import setup_modal
from handlers.commands import group_privacy, group_reports
from handlers.commands.context import Invocation, run_subcommand
from handlers.commands.group_retention import handle_retention
from handlers.commands.parse import parse_role
from handlers.commands.scope import is_direct, reader
from handlers.deps import Deps
from handlers.publish import learn_names


def handle_group_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                         deps: Deps) -> None:
    run_subcommand("/group", SUBCOMMANDS, ack, command, client, respond, deps)


def _help(inv: Invocation) -> None:
    inv.tell(inv.deps.texts.help("group"))


def _setup(inv: Invocation) -> None:
    group = groups.setup_form(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                              actor=inv.user_id, direct=is_direct(inv))
    inv.client.views_open(trigger_id=inv.trigger_id,
                          view=setup_modal(inv.channel_id, inv.user_id, group, inv.deps.texts))


def _role(inv: Invocation) -> None:
    user_id, role, organisation = parse_role(inv.rest)
    group = groups.set_role(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                            actor=inv.user_id, user_id=user_id, role=role, organisation=organisation,
                            in_channel=_in_channel(inv.client, inv.channel_id, user_id))
    learn_names(inv.client, inv.deps, group)
    inv.tell(inv.deps.texts.ui("role_set", user=f"<@{user_id}>", role=role.value, organisation=organisation,
                               group=group.name))


def _members(inv: Invocation) -> None:
    group = groups.group_members(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                 reader=reader(inv, "group.members"))
    if learn_names(inv.client, inv.deps, group):
        group = groups.group_members(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id)
    texts = inv.deps.texts
    lines = [texts.ui("members_header", group=group.name, n=len(group.members))]
    lines += [texts.ui("member_line", name=m.label, role=m.role.value, organisation=m.organisation)
              for m in sorted(group.members, key=lambda m: (list(Role).index(m.role), m.label.lower()))]
    inv.tell("\n".join(lines))


def _export(inv: Invocation) -> None:
    words = inv.rest.lower().split()
    if words[:1] in (["actions"], ["checkins"]):  # the action plan and the check-ins: group_reports.py
        rest = inv.rest.split(None, 1)[1] if len(words) > 1 else ""
        (group_reports.export_actions if words[0] == "actions" else group_reports.export_checkins)(
            replace(inv, rest=rest))
        return
    kind, fmt = (words[0] if words else ""), next((w for w in words[1:] if not w.isdigit()), "md")
    number = next((int(w) for w in words[1:] if w.isdigit()), None)
    if kind != "minutes" or fmt != "md":
        inv.tell(inv.deps.texts.ui("export_formats"))
        return
    meeting_id = minutes.export_minutes(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                                  channel_id=inv.channel_id, actor=inv.user_id, number=number)
    data = minutes.minutes_data(inv.deps.uow(), meeting_id=meeting_id, descriptions=inv.deps.theme_descriptions)
    if data.ended is None:
        inv.tell(inv.deps.texts.say("minutes_not_ready", number=data.number))
        return
    # The file shows the minutes as they stand now (later signatures included); the copy stored at close
    # stays in the database as the record.
    inv.client.files_upload_v2(channel=inv.channel_id, content=minutes_markdown(data, inv.deps.texts),
                               filename=f"minutes-meeting-{data.number}.md",
                               title=f"{data.group}: meeting {data.number}",
                               initial_comment=inv.deps.texts.ui("minutes_file_comment", number=data.number,
                                                                 group=data.group))


def _in_channel(client: WebClient, channel_id: str, user_id: str) -> bool:
    for page in client.conversations_members(channel=channel_id, limit=500):
        if user_id in page.get("members", []):
            return True
    return False


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "": _help, "help": _help, "setup": _setup, "role": _role, "members": _members, "export": _export,
    "settings": group_privacy.settings, "audit": group_privacy.audit,
    "retention": handle_retention,
}
# `/group my data` and `/group forget` (subject access and erasure): handlers/my_data.py.
SUBCOMMANDS.update({"my": my_data.my_data, "forget": my_data.forget})
SUBCOMMANDS["report"] = group_reports.report_command  # the progress report, now or every n months
