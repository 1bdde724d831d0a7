"""Slash commands: one module per command, each with its subcommands as small functions."""

from slack_bolt import App

from handlers.commands import actions, assess, checkin, group, meeting
from handlers.errors import guarded


def register(app: App) -> None:
    app.command("/meeting")(guarded(meeting.handle_meeting_command))
    app.command("/group")(guarded(group.handle_group_command))
    app.command("/actions")(guarded(actions.handle_actions_command))
    app.command("/checkin")(guarded(checkin.handle_checkin_command))
    assess.register(app)  # the command, its DM button and its form
