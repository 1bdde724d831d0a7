"""`/meeting`: start, move through and end the group's meeting (§3.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.domain import stages
from bot.domain.stages import Slot, StageKey
from bot.services import meetings, minutes, schedule, themes
from bot.texts import slack_escape
from handlers.blocks.minutes import minutes_messages
from handlers.blocks.reminders import scheduled_texts
from handlers.commands.context import Invocation, run_subcommand
from handlers.commands.scope import reader
from handlers.deps import Deps
from handlers.moves import announce_end, show_move
from handlers.publish import post_card, refresh_cards


def handle_meeting_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond,
                           deps: Deps) -> None:
    run_subcommand("/meeting", SUBCOMMANDS, ack, command, client, respond, deps)


def _help(inv: Invocation) -> None:
    inv.tell(inv.deps.texts.help("meeting"))


def _start(inv: Invocation) -> None:
    card = meetings.start_meeting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                  actor=inv.user_id, catalogue=inv.deps.catalogue)
    texts = inv.deps.texts
    inv.client.chat_postMessage(channel=inv.channel_id, text=texts.ui(
        "meeting_started", number=card.state.meeting.number, group=card.state.group.name))
    post_card(inv.client, inv.deps, card)


def _move(how: str) -> Callable[[Invocation], None]:
    def move(inv: Invocation) -> None:
        result = meetings.move_meeting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                       channel_id=inv.channel_id, actor=inv.user_id, how=how, target=inv.rest)
        show_move(inv.client, inv.deps, result, inv.tell)
    return move


def _status(inv: Invocation) -> None:
    texts = inv.deps.texts
    state = meetings.meeting_status(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                    reader=reader(inv, "meeting.status"))
    if state is None:
        inv.tell(texts.ui("status_none"))
        return
    plan = stages.plan(state.meeting.is_follow_up)
    line = texts.ui("status_line", number=state.meeting.number, index=state.index, total=state.total,
                    title=texts.stage(state.stage, "title"), present=len(state.present),
                    contributions=len(state.contributions))
    listing = ", ".join(f"{i}. {texts.stage(s.key, 'title')}" for i, s in enumerate(plan, 1))
    inv.tell(f"{line}\n{texts.ui('stages_line', stages=listing)}")


def _end(inv: Invocation) -> None:
    ended = meetings.end_meeting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                 actor=inv.user_id)
    announce_end(inv.client, inv.deps, ended, inv.channel_id)


def _themes(inv: Invocation) -> None:
    chosen = themes.choose_themes(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                  actor=inv.user_id, text=inv.rest, catalogue=inv.deps.catalogue)
    inv.client.chat_postMessage(channel=inv.channel_id, text=inv.deps.texts.ui(
        "themes_chosen", n=len(chosen.themes), themes=", ".join(slack_escape(t) for t in chosen.themes)))
    if chosen.card:
        post_card(inv.client, inv.deps, chosen.card)


def _minutes(inv: Invocation) -> None:
    number = int(inv.rest) if inv.rest.isdigit() else None
    if inv.rest and number is None:
        inv.unknown("/meeting", f"minutes {inv.rest}")
        return
    found = minutes.find_meeting(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id, number=number,
                                 reader=reader(inv, "meeting.minutes"))
    data = minutes.minutes_data(inv.deps.uow(), meeting_id=found.meeting_id, descriptions=inv.deps.theme_descriptions,
                                chairs_copy=found.chairs_copy)
    if data.ended is None:
        inv.tell(inv.deps.texts.say("minutes_not_ready", number=data.number))
        return
    for fallback, blocks in minutes_messages(data, inv.deps.texts):
        inv.tell(fallback, blocks)


def _schedule(inv: Invocation) -> None:
    """The channel is told (everyone should know); the chair gets the exact date, time and reminders."""
    done = schedule.schedule_meeting(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                     actor=inv.user_id, text=inv.rest)
    private, public = scheduled_texts(done, inv.user_id, inv.deps.texts)
    inv.client.chat_postMessage(channel=inv.channel_id, text=public)
    inv.tell(private)
    if done.running_meeting is not None:  # a close card already drawn now shows the date
        state, cards = meetings.card_state(inv.deps.uow(), done.running_meeting, Slot(StageKey.CLOSE.value))
        if cards:
            refresh_cards(inv.client, inv.deps, state)


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "": _help, "help": _help, "start": _start, "status": _status, "end": _end, "themes": _themes,
    "minutes": _minutes, "schedule": _schedule,
    **{how: _move(how) for how in meetings.MOVES},
}
