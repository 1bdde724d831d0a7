"""What a subcommand needs from the slash command that invoked it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.text import clean_text
from handlers.commands.parse import split
from handlers.deps import Deps


@dataclass(frozen=True)
class Invocation:
    team_id: str
    channel_id: str
    user_id: str
    rest: str
    trigger_id: str
    client: WebClient
    respond: Respond
    deps: Deps
    channel_name: str = ""  # "directmessage" or "mpdm-…" in a DM or group DM

    @classmethod
    def of(cls, command: dict[str, Any], rest: str, client: WebClient, respond: Respond, deps: Deps) -> Invocation:
        return cls(command.get("team_id", ""), command["channel_id"], command["user_id"], rest,
                   command.get("trigger_id", ""), client, respond, deps, str(command.get("channel_name") or ""))

    def tell(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    def unknown(self, command: str, given: str) -> None:
        usage = self.deps.texts.help(command.strip("/"))
        self.tell(self.deps.texts.say("unknown_subcommand", command=command, given=given, usage=usage))


def command_text(command: dict[str, Any]) -> str:
    """What the person typed after the command, without control characters (see bot.domain.text)."""
    return clean_text(str(command.get("text") or ""))


Subcommands = Mapping[str, Callable[[Invocation], None]]


def run_subcommand(name: str, table: Subcommands, ack: Ack, command: dict[str, Any], client: WebClient,
                   respond: Respond, deps: Deps) -> None:
    """Acknowledge at once, then run the subcommand named by the first word (or say it is unknown)."""
    ack()
    text = command_text(command)
    sub, rest = split(text)
    inv = Invocation.of(command, rest, client, respond, deps)
    action = table.get(sub)
    if action is None:
        inv.unknown(name, text.strip())
        return
    action(inv)
