"""Slash commands: one module per command, each with its subcommands as small functions."""

from slack_bolt import App

from handlers.commands import group, meeting


def register(app: App) -> None:
    app.command("/meeting")(meeting.handle_meeting_command)
    app.command("/group")(group.handle_group_command)
