"""`/group settings` (the group's privacy settings) and `/group audit` (its audit log, for the chairs)."""

from __future__ import annotations

from bot.domain.errors import BadInput
from bot.domain.snapshots import GroupSnap
from bot.services import audit_log, group_settings
from handlers.blocks.audit import audit_csv, audit_message
from handlers.commands.context import Invocation
from handlers.commands.scope import reader

# What a chair types -> the group's setting. `/checkin share channel on|off` sets the first one too.
SETTING_WORDS = {"feedback-names": "minutes_name_feedback", "checkin-summary": "checkin_share_channel"}
SWITCH = {"on": True, "off": False}


def parse_switch(word: str, usage: str) -> bool:
    if word.lower() not in SWITCH:
        raise BadInput(usage, given=word)
    return SWITCH[word.lower()]


def settings(inv: Invocation) -> None:
    """`/group settings` shows them (any member); `/group settings <name> on|off` changes one (chairs)."""
    words = inv.rest.split()
    if not words:
        group = group_settings.show_settings(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                             reader=reader(inv, "group.settings"))
        inv.tell(settings_text(inv, group))
        return
    setting = SETTING_WORDS.get(words[0].lower())
    if setting is None or len(words) != 2:
        raise BadInput("settings_usage", given=inv.rest)
    group = group_settings.change_setting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                          channel_id=inv.channel_id, actor=inv.user_id, setting=setting,
                                          on=parse_switch(words[1], "settings_usage"))
    inv.tell(settings_text(inv, group, changed=setting))


def settings_text(inv: Invocation, group: GroupSnap, changed: str | None = None) -> str:
    return inv.deps.texts.ui("group_settings", group=group.name, share=group.share_checkin,
                             names=group.name_feedback, changed=changed)


def audit(inv: Invocation) -> None:
    """`/group audit [n]` privately; `/group audit csv` as a file in a DM to the chair who asked."""
    if inv.rest.lower() == "csv":
        log = audit_log.all_entries(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                    actor=inv.user_id)
        texts = inv.deps.texts
        dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
        inv.client.files_upload_v2(channel=dm, content=audit_csv(log), filename="audit-log.csv",
                                   title=f"{log.group}: audit log",
                                   initial_comment=texts.ui("audit_csv_comment", group=log.group, n=len(log.lines)))
        inv.tell(texts.ui("audit_csv_sent", group=log.group, n=len(log.lines)))
        return
    count = audit_log.parse_count(inv.rest)
    log = audit_log.recent_entries(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                   actor=inv.user_id, count=count)
    inv.tell(*audit_message(log, inv.deps.texts))
