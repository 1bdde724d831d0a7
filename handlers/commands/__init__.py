"""Slash commands: one module per command, each with its subcommands as small functions."""

from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack

from handlers.commands import actions, group, meeting
from handlers.deps import Deps
from handlers.errors import guarded


def handle_command_not_ready(ack: Ack, command: dict[str, Any], deps: Deps) -> None:
    """Commands the manifest declares before their issue has landed say so instead of failing."""
    ack(response_type="ephemeral", text=deps.texts.say("command_not_ready", command=command["command"]))


def register(app: App) -> None:
    app.command("/meeting")(guarded(meeting.handle_meeting_command))
    app.command("/group")(guarded(group.handle_group_command))
    app.command("/actions")(guarded(actions.handle_actions_command))
    app.command("/checkin")(guarded(handle_command_not_ready))
