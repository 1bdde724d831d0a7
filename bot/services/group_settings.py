"""A group's privacy settings: a check-in summary in the channel, and names beside feedback in the minutes.

Both are off by default, the narrow choice; only a chair or co-chair changes them, and every change and
every refusal is audited.
"""

from __future__ import annotations

from bot.domain.clock import Clock
from bot.domain.snapshots import GroupSnap
from bot.services.common import Reader, check_reader, group_snap, require_chair, require_group
from storage.uow import UnitOfWork

# The setting's column on the group -> the audit log's name for changing it.
SETTINGS = {"checkin_share_channel": "checkin.share_channel", "minutes_name_feedback": "group.feedback_names"}


def change_setting(uow: UnitOfWork, clock: Clock, *, team_id: str, channel_id: str, actor: str, setting: str,
                   on: bool) -> GroupSnap:
    """Turn a setting on or off (chairs only); returns the group as it now is."""
    action, now = SETTINGS[setting], clock.now()
    with uow:
        group = require_group(uow, team_id, channel_id)
        require_chair(uow, group, actor, action, now)
        setattr(group, setting, on)
        uow.audit.record(now, actor, action, "ok", group.id, on=on)
        uow.commit()
        return group_snap(uow, group)


def show_settings(uow: UnitOfWork, *, team_id: str, channel_id: str, reader: Reader) -> GroupSnap:
    """The group with its settings, for any member: members should know what is shared and where."""
    with uow:
        group = require_group(uow, team_id, channel_id)
        check_reader(uow, group, reader)
        return group_snap(uow, group)
