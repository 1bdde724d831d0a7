"""Putting the meeting in the channel: post a recorded card, redraw cards, post rules and agreement.

Every function here runs after the service has committed what the person did, so a Slack failure
never loses it; the ts Slack returns is then recorded so later replies and redraws find the message.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.snapshots import AgreementSnap, GroupSnap, RulesSnap, StageState
from bot.domain.stages import Slot
from bot.domain.text import clean_text
from bot.services import agreement as agreement_service
from bot.services import groups, home, meetings, redraws
from handlers.blocks.cards import agreement_message, rules_message, stage_card
from handlers.blocks.home import home_view
from handlers.deps import Deps

log = logging.getLogger("handlers")


def slot_of(state: StageState) -> Slot:
    return Slot(state.stage, state.theme, state.question, state.action_id)


def learn_names(client: WebClient, deps: Deps, group: GroupSnap) -> bool:
    """Look up display names for members we only know by id; True if any were learned.

    A name is a nicety: a member Slack cannot look up (user_not_found, a deactivated or foreign account) or a
    lookup that fails (an error, a timeout) leaves them shown as their mention, and never stops a card, a
    list or a message. Failures are remembered for a while, so one unknown member does not cost a Web API
    call on every card redraw.
    """
    found: dict[str, str] = {}
    unknown = _unknown_for(deps)
    for member in group.members:
        if member.display_name is not None or unknown.has(group.team_id, member.user_id):
            continue
        try:
            user = client.users_info(user=member.user_id).get("user") or {}
        except SlackApiError as error:
            unknown.remember(group.team_id, member.user_id, NOT_FOUND_FOR if _not_found(error) else FAILED_FOR)
            log.info("name lookup failed user=%s error=%s", member.user_id, error.response.get("error"))
            continue
        except Exception as error:  # noqa: BLE001 - a timeout or a broken connection: Slack is unwell
            unknown.remember(group.team_id, member.user_id, FAILED_FOR)
            log.info("name lookup failed user=%s type=%s", member.user_id, type(error).__name__)
            break  # the others would most likely fail (slowly) too; the next card tries again
        profile = user.get("profile") or {}
        name = clean_text(user.get("real_name") or profile.get("real_name") or profile.get("display_name") or "")
        if name.strip():
            found[member.user_id] = name.strip()
        else:
            unknown.remember(group.team_id, member.user_id, NOT_FOUND_FOR)
    if found:
        groups.remember_names(deps.uow(), group.id, found)
    return bool(found)


def _not_found(error: SlackApiError) -> bool:
    return error.response.get("error") in ("user_not_found", "user_not_visible", "account_inactive")


NOT_FOUND_FOR = 3600.0  # seconds before asking Slack again about a user it does not know
FAILED_FOR = 60.0  # after an error or a timeout: Slack may be back soon


class _Unknown:
    """Users whose name lookup failed lately, by (team, user), with when to try again (monotonic seconds).

    In-process and per app (see _unknown_for): a restart simply asks again, and a second web process asks
    once more.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[tuple[str, str], float] = {}

    def has(self, team_id: str, user_id: str) -> bool:
        with self._lock:
            until = self._until.get((team_id, user_id))
            if until is not None and until <= time.monotonic():
                del self._until[(team_id, user_id)]
                return False
            return until is not None

    def remember(self, team_id: str, user_id: str, seconds: float) -> None:
        with self._lock:
            self._until[(team_id, user_id)] = time.monotonic() + seconds


# One memory per app, keyed by its session factory (Deps itself holds a clock and may not be hashable), so
# two apps in one process (tests, a restart in place) never share what the other learned.
_memories: weakref.WeakKeyDictionary[object, _Unknown] = weakref.WeakKeyDictionary()
_memories_lock = threading.Lock()


def _unknown_for(deps: Deps) -> _Unknown:
    with _memories_lock:
        memory = _memories.get(deps.session_factory)
        if memory is None:
            memory = _memories[deps.session_factory] = _Unknown()
        return memory


def post_card(client: WebClient, deps: Deps, card: meetings.CardToPost) -> str:
    state = card.state
    if learn_names(client, deps, state.group):
        state, _ = meetings.card_state(deps.uow(), state.meeting.id, slot_of(state))
    text, blocks = stage_card(state, deps.texts)
    ts = client.chat_postMessage(channel=state.group.channel_id, text=text, blocks=blocks)["ts"]
    meetings.card_posted(deps.uow(), card.card_id, ts)
    for follower in card.followers:
        post_card(client, deps, follower)
    return ts


def refresh_cards(client: WebClient, deps: Deps, state: StageState) -> None:
    """Redraw every posted card of the stage with what it has gathered so far.

    Several listeners, in any number of web processes, can ask to redraw the same card at once (twenty
    replies in a second). One of them redraws, from state read afresh; the others only count their ask
    in the database and return at once, instead of holding a listener thread each while they queue for
    the card (which starved the threads that acknowledge commands). The redrawer draws again while asks
    arrive, so the last pass shows everything (bot/services/redraws.py says why this holds).
    """
    learn_names(client, deps, state.group)
    slot = slot_of(state)
    claim = redraws.ask(deps.uow(), deps.clock, state.meeting.id, slot)
    while claim is not None:
        try:
            drawing = redraws.read(deps.uow(), claim, state.meeting.id, slot)
            text, blocks = stage_card(drawing.state, deps.texts)
            for channel, ts in drawing.cards:
                client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except BaseException:
            redraws.give_up(deps.uow(), claim)
            raise
        outcome = redraws.drawn(deps.uow(), deps.clock, claim, drawing.shown)
        if outcome == "lost":  # another process took the card over while this pass ran long: it must draw after
            claim = redraws.ask(deps.uow(), deps.clock, state.meeting.id, slot)
        elif outcome == "done":
            claim = None


def post_rules(client: WebClient, deps: Deps, rules: RulesSnap, state: StageState) -> None:
    text, blocks = rules_message(rules, state.group, state.meeting.number, deps.texts)
    client.chat_postMessage(channel=state.group.channel_id, text=text, blocks=blocks)


def post_agreement(client: WebClient, deps: Deps, agreement: AgreementSnap, group: GroupSnap) -> None:
    learn_names(client, deps, group)
    group = groups.group_members(deps.uow(), team_id=group.team_id, channel_id=group.channel_id)
    text, blocks = agreement_message(agreement, group, deps.texts)
    ts = client.chat_postMessage(channel=group.channel_id, text=text, blocks=blocks)["ts"]
    agreement_service.agreement_posted(deps.uow(), agreement.id, group.channel_id, ts)


def refresh_agreement(client: WebClient, deps: Deps, agreement: AgreementSnap, group: GroupSnap) -> None:
    if agreement.channel_id is None or agreement.message_ts is None:
        return
    if learn_names(client, deps, group):
        group = groups.group_members(deps.uow(), team_id=group.team_id, channel_id=group.channel_id)
    text, blocks = agreement_message(agreement, group, deps.texts)
    client.chat_update(channel=agreement.channel_id, ts=agreement.message_ts, text=text, blocks=blocks)


def publish_home(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    """Draw the person's Home tab afresh: when they open it, and after each change they make.

    Called after the ack and after what they did is committed, so a failure here (Slack down, a view
    Slack refuses) is logged and swallowed: it must never turn a saved report or signature into an error.
    The tab is redrawn anyway the next time they open it.
    """
    try:
        view = home_view(home.home_for(deps.uow(), deps.clock, team_id=team_id, user_id=user_id), deps.texts)
        client.views_publish(user_id=user_id, view=view)
    except Exception as error:  # noqa: BLE001 - see the docstring
        log.warning("home not published user=%s type=%s", user_id, type(error).__name__, exc_info=error)


def dm(client: WebClient, user_id: str, text: str) -> None:
    """A private copy of news already shown where it happened (the channel, an ephemeral answer).

    Someone Slack cannot reach (user_not_found, a deactivated account) must not undo the rest of the answer,
    so a refusal is logged and the listener goes on.
    """
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.chat_postMessage(channel=channel, text=text)
    except SlackApiError as error:
        log.warning("dm not sent user=%s error=%s", user_id, error.response.get("error"))
