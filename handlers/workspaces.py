"""The Web API client for a group's workspace, for the scheduler's jobs (listeners get theirs from bolt).

Single-workspace mode: the app's own client (SLACK_BOT_TOKEN). Multi-workspace mode: the app's client
carries no token, so each job borrows its settings with the bot token of the group's workspace, looked
up (and rotated when near expiry) by the installation store (handlers/oauth.py).
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.services import workspaces
from handlers.deps import Deps


def client_for_group(client: WebClient, deps: Deps, group_id: int) -> WebClient | None:
    """The client to write to this group's workspace with; None when the app is not installed there."""
    if deps.bot_token_for is None:
        return client
    team_id = workspaces.team_of_group(deps.uow(), group_id)
    token = deps.bot_token_for(team_id) if team_id else None
    if not token:
        return None
    return WebClient(token=token, base_url=client.base_url, timeout=client.timeout,
                     retry_handlers=client.retry_handlers, logger=client.logger)
