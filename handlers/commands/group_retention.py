"""`/group retention`: the group's retention schedule (anyone in the group), and a chair's change to it."""

from __future__ import annotations

from bot.services import retention
from handlers.blocks.retention import retention_text
from handlers.commands.context import Invocation
from handlers.commands.scope import reader


def handle_retention(inv: Invocation) -> None:
    deps = inv.deps
    if inv.rest.strip().lower() == "help":
        inv.tell(deps.texts.help("group"))
        return
    if inv.rest.strip():
        view = retention.set_group_retention(deps.uow(), deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                             actor=inv.user_id, text=inv.rest, defaults=deps.retention)
    else:
        view = retention.group_retention(deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                         reader=reader(inv, "retention.show"), defaults=deps.retention)
    inv.tell(retention_text(view, deps.texts))

