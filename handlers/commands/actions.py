"""`/actions`: add an action in one line, or open the form (§3.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.action_status import parse_status
from bot.domain.erased import mention
from bot.domain.guardrail import scan
from bot.services import actions, groups, reports
from handlers.action_posts import announce_action, confirm_prompt
from handlers.blocks.action_lists import group_actions_message, my_actions_message
from handlers.blocks.action_modals import add_action_modal
from handlers.blocks.guardrail import command_warning
from handlers.commands import action_changes
from handlers.commands.action_grammar import parse_action_add
from handlers.commands.context import Invocation, run_subcommand
from handlers.commands.scope import reader
from handlers.deps import Deps
from handlers.ids import Act
from handlers.publish import learn_names, publish_home
from handlers.reporting import announce_report


def handle_actions_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                           deps: Deps) -> None:
    run_subcommand("/actions", SUBCOMMANDS, ack, command, client, respond, deps)


def _help(inv: Invocation) -> None:
    inv.tell(inv.deps.texts.help("actions"))


def _add(inv: Invocation) -> None:
    if not inv.rest:
        orgs, themes = actions.known_organisations(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id)
        inv.client.views_open(trigger_id=inv.trigger_id,
                              view=add_action_modal(inv.channel_id, themes or list(_set_themes(inv)), orgs,
                                                    inv.deps.texts))
        return
    add_from_text(inv.client, inv.deps, inv.team_id, inv.channel_id, inv.user_id, inv.rest,
                  f"cmd:{inv.trigger_id}", [], inv.tell)


def add_from_text(client: WebClient, deps: Deps, team_id: str, channel_id: str, user_id: str, text: str,
                  request_key: str, confirmed: list[str], tell: Callable[..., Any]) -> None:
    """The one-line form, from the command or replayed by a confirmation button."""
    line = parse_action_add(text)
    if RESIDENT not in confirmed and (kinds := scan(line.description)):
        # May identify a resident: nothing stored or posted until the author keeps it (replayed, confirmed).
        replay = {"text": text, "key": request_key, "confirmed": sorted({*confirmed, RESIDENT})}
        tell(*command_warning(deps.texts, kinds, Act.ADD_CONFIRMED, replay, "/actions add"))
        return
    new = actions.NewAction(line.description, line.owner_id, line.agency, line.theme, line.due)
    result = actions.add_action(deps.uow(), deps.clock, team_id=team_id, channel_id=channel_id, actor=user_id,
                                new=new, catalogue=deps.catalogue, request_key=request_key, source="command",
                                confirmed=frozenset(confirmed))
    if isinstance(result, actions.ToConfirm):
        replay = {"text": text, "key": request_key, "confirmed": confirmed}
        tell(*confirm_prompt(deps, result, replay))
    elif result.new:
        announce_action(client, deps, result)
        tell(deps.texts.ui("action_added_note", ref=result.action.ref, in_thread=result.thread is not None,
                           owner=mention(result.action.owner_id)))


RESIDENT = "resident"  # the author kept text the resident-data guardrail warned about (bot/domain/guardrail.py)


def _set_themes(inv: Invocation) -> tuple[str, ...]:
    group = groups.group_members(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id)
    return inv.deps.catalogue.get(group.theme_set, ())


def _mine(inv: Invocation) -> None:
    items = reports.my_open_actions(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, user_id=inv.user_id)
    inv.tell(*my_actions_message(items, inv.deps.texts))


def _all(inv: Invocation) -> None:
    group, items = reports.group_actions(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                         reader=reader(inv, "actions.all"))
    if learn_names(inv.client, inv.deps, group):
        group, items = reports.group_actions(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id)
    inv.tell(*group_actions_message(group, items, inv.deps.texts))


def split_report(text: str) -> tuple[str, str, str | None]:
    """`A-12 in progress Met the CCG` -> ('A-12', 'in progress', 'Met the CCG'): two-word statuses are fine."""
    words = text.split()
    if len(words) < 2:
        return (words[0] if words else ""), "", None
    two = len(words) > 2 and f"{words[1]} {words[2]}".lower() in TWO_WORD_STATUSES
    status = " ".join(words[1:3]) if two else words[1]
    rest = words[3:] if two else words[2:]
    return words[0], status, " ".join(rest) or None


TWO_WORD_STATUSES = ("in progress", "not started")


def _report(inv: Invocation) -> None:
    report_from_text(inv.client, inv.deps, inv.team_id, inv.channel_id, inv.user_id, inv.rest,
                     f"cmd:{inv.trigger_id}", False, inv.tell)


def report_from_text(client: WebClient, deps: Deps, team_id: str, channel_id: str, user_id: str, text: str,
                     request_key: str, confirmed: bool, tell: Callable[..., Any]) -> None:
    """`/actions report`, from the command or replayed by Keep as written after the guardrail's warning."""
    ref, status, note = split_report(text)
    if not status:
        tell(deps.texts.say("report_usage"))
        return
    parse_status(status)  # a wrong status is said before any warning about the note
    if note and not confirmed and (kinds := scan(note)):
        tell(*command_warning(deps.texts, kinds, Act.REPORT_CONFIRMED, {"text": text, "key": request_key},
                              "/actions"))
        return
    reported = reports.report_action(deps.uow(), deps.clock, team_id=team_id, channel_id=channel_id,
                                     actor=user_id, ref=ref, status=status, note=note, request_key=request_key)
    announce_report(client, deps, reported, {"user_id": user_id, "channel_id": channel_id})
    publish_home(client, deps, team_id, user_id)


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "": _mine, "mine": _mine, "all": _all, "report": _report, "help": _help, "add": _add,
    # keeping the plan up to date, and reading it by lead organisation (handlers/commands/action_changes.py)
    "edit": action_changes.edit, "merge": action_changes.merge, "drop": action_changes.drop,
    "show": action_changes.show, "history": action_changes.show, "by": action_changes.by,
}
