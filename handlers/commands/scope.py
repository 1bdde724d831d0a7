"""Who may read a group's record: the reader a slash command hands to a service (bot.services.common.Reader)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.common import Reader
from handlers.commands.context import Invocation

log = logging.getLogger(__name__)


def reader(inv: Invocation, action: str) -> Reader:
    """The person behind the command; Slack is asked whether they are in the channel only if the group's
    member table does not know them (the service decides when)."""
    return Reader(inv.user_id, action, inv.deps.clock.now(),
                  lambda: in_channel(inv.client, inv.channel_id, inv.user_id))


def in_channel(client: WebClient, channel_id: str, user_id: str) -> bool:
    """Whether `user_id` is in the channel now; a channel Slack will not list counts as no."""
    try:
        for page in client.conversations_members(channel=channel_id, limit=500):
            if user_id in page.get("members", []):
                return True
    except SlackApiError as error:
        log.warning("channel members not listed: %s", error.response.get("error"))
    return False


def is_direct(inv: Invocation) -> bool:
    """A direct message or a group DM: Slack names them "directmessage" and "mpdm-…" in a command's payload."""
    name = inv.channel_name
    return inv.channel_id.startswith("D") or name == "directmessage" or name.startswith("mpdm-")
