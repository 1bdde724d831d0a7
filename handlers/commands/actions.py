"""`/actions`: add an action in one line, or open the form (§3.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.services import actions, groups
from handlers.action_posts import announce_action, confirm_prompt
from handlers.blocks.action_modals import add_action_modal
from handlers.commands.action_grammar import parse_action_add
from handlers.commands.context import Invocation, run_subcommand
from handlers.deps import Deps


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
                           owner=f"<@{result.action.owner_id}>"))


def _set_themes(inv: Invocation) -> tuple[str, ...]:
    group = groups.group_members(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id)
    return inv.deps.catalogue.get(group.theme_set, ())


# Listing and reporting back on actions (`/actions`, `all`, `report`) come with the between-meetings issue.
SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {"": _help, "help": _help, "add": _add}
