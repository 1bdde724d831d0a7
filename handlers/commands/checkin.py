"""`/checkin`: a manager answers the weekly check-in; the chair schedules, sends, pauses and reviews it (§3.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain.checkins import ScheduleInfo
from bot.domain.erased import mention
from bot.domain.errors import BadInput
from bot.domain.weeks import WEEKDAY_NAMES, parse_clock, parse_weekday
from bot.services import checkin_trends, checkins, group_settings
from handlers.blocks.checkin import checkin_modal, moment_label, week_label
from handlers.commands.context import Invocation, command_text
from handlers.commands.group_privacy import parse_switch
from handlers.commands.parse import split
from handlers.deps import Deps
from handlers.jobs import send_due_checkins


def handle_checkin_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                           deps: Deps) -> None:
    ack()
    text = command_text(command)
    sub, rest = split(text)
    inv = Invocation.of(command, rest, client, respond, deps)
    action = SUBCOMMANDS.get(sub)
    if action is None:
        inv.unknown("/checkin", text.strip())
        return
    action(inv)


def _open(inv: Invocation) -> None:
    form = checkins.open_form(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                              user_id=inv.user_id)
    inv.client.views_open(trigger_id=inv.trigger_id, view=checkin_modal(form, inv.deps.texts))


def _help(inv: Invocation) -> None:
    inv.tell(inv.deps.texts.help("checkin"))


def _schedule(inv: Invocation) -> None:
    words = inv.rest.split()
    if len(words) < 2:
        raise BadInput("checkin_schedule_usage")
    weekday, at = parse_weekday(words[0]), parse_clock(" ".join(words[1:2]))
    if weekday is None:
        raise BadInput("checkin_no_weekday", given=words[0])
    if at is None:
        raise BadInput("checkin_bad_time", given=words[1])
    info = checkins.set_schedule(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                 actor=inv.user_id, weekday=weekday, at=at, tz=words[2] if len(words) > 2 else None)
    inv.tell(inv.deps.texts.ui("checkin_scheduled", group=info.group, weekday=WEEKDAY_NAMES[info.weekday],
                               at=info.at, timezone=info.timezone, next=_next(info),
                               reminder_hours=info.reminder_hours, digest_hours=info.digest_hours))


def _next(info: ScheduleInfo) -> str:
    return moment_label(info.next_send, info.timezone) if info.next_send else "-"


def _send(inv: Invocation) -> None:
    week, new = checkins.send_now(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                  actor=inv.user_id)
    key = "checkin_sent" if new else "checkin_already_sent"
    inv.tell(inv.deps.texts.ui(key, week=week_label(week), n=new))
    if new:
        send_due_checkins(inv.client, inv.deps)  # after the ack: the fan-out may take a while


def _status(inv: Invocation) -> None:
    s = checkins.week_status(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                             actor=inv.user_id)
    texts = inv.deps.texts

    def names(users: tuple[str, ...]) -> str:
        return ", ".join(mention(u) for u in users) or texts.ui("nobody")

    if not s.opened and not s.answered:
        nxt = moment_label(s.next_send, s.timezone) if s.next_send else None
        inv.tell(texts.ui("checkin_status_none", next=nxt))
        return
    lines = [texts.ui("checkin_status_header", week=week_label(s.week), answered=len(s.answered),
                      total=len(s.answered) + len(s.missing)),
             texts.ui("checkin_status_answered", names=names(s.answered)),
             texts.ui("checkin_status_missing", names=names(s.missing))]
    if s.away:
        lines.append(texts.ui("checkin_status_away", names=names(s.away)))
    inv.tell("\n".join(lines))


def _change(how: str) -> Callable[[Invocation], None]:
    def run(inv: Invocation) -> None:
        if how == "skip" and not inv.rest.strip():
            raise BadInput("checkin_bad_date", given="")
        info, week = checkins.change_schedule(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                              channel_id=inv.channel_id, actor=inv.user_id, how=how,
                                              day_text=inv.rest if how == "skip" else None)
        key = {"pause": "checkin_paused", "resume": "checkin_resumed", "skip": "checkin_skipped"}[how]
        inv.tell(inv.deps.texts.ui(key, group=info.group, next=_next(info), week=week_label(week) if week else None))
    return run


def _away(inv: Invocation) -> None:
    words = inv.rest.split(maxsplit=1)
    text = words[1] if words and words[0].lower() == "until" and len(words) > 1 else inv.rest
    if not text.strip():
        raise BadInput("checkin_bad_date", given="")
    until = checkins.set_away(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                              user_id=inv.user_id, until_text=text)
    assert until is not None
    inv.tell(inv.deps.texts.ui("checkin_away", until=until.strftime("%A %-d %B %Y")))


def _back(inv: Invocation) -> None:
    checkins.set_away(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                      user_id=inv.user_id, until_text=None)
    inv.tell(inv.deps.texts.ui("checkin_back"))


def _share(inv: Invocation) -> None:
    """`/checkin share channel on|off` (chairs): a summary in the channel too, never names or answers."""
    words = inv.rest.lower().split()
    if len(words) != 2 or words[0] != "channel":
        raise BadInput("share_usage")
    on = parse_switch(words[1], "share_usage")
    group = group_settings.change_setting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                          channel_id=inv.channel_id, actor=inv.user_id,
                                          setting="checkin_share_channel", on=on)
    inv.tell(inv.deps.texts.ui("checkin_share_set", group=group.name, share=group.share_checkin))


def _escalate(inv: Invocation) -> None:
    """`/checkin escalate after <n> weeks` (chairs): when a home's run of weeks is raised with the chairs."""
    words = inv.rest.lower().split()
    if len(words) not in (2, 3) or words[0] != "after" or not words[1].isdigit() or words[2:] not in ([], ["weeks"]):
        raise BadInput("escalate_usage", given=inv.rest)
    weeks = checkin_trends.set_threshold(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                         channel_id=inv.channel_id, actor=inv.user_id, weeks=int(words[1]))
    inv.tell(inv.deps.texts.ui("escalate_set", weeks=weeks))


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "": _open, "help": _help, "schedule": _schedule, "send": _send, "status": _status, "pause": _change("pause"),
    "resume": _change("resume"), "skip": _change("skip"), "away": _away, "back": _back,
    "share": _share, "escalate": _escalate,
}
