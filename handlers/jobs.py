"""Periodic work run by the scheduler, driven by what the database says is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.checkins import DeliveryJob
from bot.services import checkin_plan, deliveries, meetings, reminders
from handlers.blocks.checkin import digest_message, invite_message
from handlers.blocks.reminders import reminder_message
from handlers.deps import Deps
from handlers.publish import post_card

log = logging.getLogger(__name__)


def repost_unposted_cards(client: WebClient, deps: Deps) -> int:
    """Post stage cards that were recorded but never reached Slack; returns how many were posted."""
    posted = 0
    for card in meetings.unposted_cards(deps.uow(), deps.clock):
        try:
            post_card(client, deps, card)
            posted += 1
        except SlackApiError as exc:
            log.warning("card %s still not posted: %s", card.card_id, exc.response.get("error"))
    return posted


def run_checkins(client: WebClient, deps: Deps) -> int:
    """The check-in tick: open the weeks that are due, plan reminders and digests, send; returns how many sent."""
    checkin_plan.plan_due(deps.uow(), deps.clock)
    return send_due_checkins(client, deps)


def send_due_checkins(client: WebClient, deps: Deps, batch: int = 25) -> int:
    """Send every due delivery; rows another scheduler has claimed are skipped, failures retried later."""
    sent = 0
    while jobs := checkin_plan.claim_due(deps.uow(), deps.clock, limit=batch):
        for job in jobs:
            sent += deliver(client, deps, job)
    return sent


def deliver(client: WebClient, deps: Deps, job: DeliveryJob) -> int:
    """Send one claimed check-in delivery; returns 1 if a message went out now."""
    return _deliver(client, deps, job.id, job.kind, job.user_id, job.uncertain, partial(_message, deps, job))


def run_reminders(client: WebClient, deps: Deps) -> int:
    """The reminders' tick (actions due and overdue, report back, the agenda): plan what is due, send; returns
    how many were sent."""
    reminders.plan_due(deps.uow(), deps.clock)
    return send_due_reminders(client, deps)


def send_due_reminders(client: WebClient, deps: Deps, batch: int = 25) -> int:
    """Send every due reminder, like `send_due_checkins`: each process claims its own rows, failures retry."""
    sent = 0
    while jobs := reminders.claim_due(deps.uow(), deps.clock, deps.catalogue, limit=batch):
        for job in jobs:
            sent += _deliver(client, deps, job.id, job.kind, job.to, job.uncertain,
                             partial(reminder_message, job, deps.texts))
    return sent


def _deliver(client: WebClient, deps: Deps, delivery_id: int, kind: str, to: str, uncertain: bool,
             message: Callable[[], dict[str, Any]]) -> int:
    """Send one claimed delivery to a user (DM) or channel; after an unconfirmed claim, look in Slack first."""
    try:
        if uncertain and (found := _already_posted(client, to, delivery_id)):
            deliveries.mark_sent(deps.uow(), deps.clock, delivery_id, *found)
            return 0
        answer = client.chat_postMessage(channel=to, **message())
        deliveries.mark_sent(deps.uow(), deps.clock, delivery_id, answer["channel"], answer["ts"])
        return 1
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        log.warning("delivery %s (%s) not sent: %s", delivery_id, kind, error)
        deliveries.mark_failed(deps.uow(), deps.clock, delivery_id, error)
        return 0


def _message(deps: Deps, job: DeliveryJob) -> dict[str, Any]:
    if job.kind in ("checkin", "reminder"):
        return invite_message(job, deps.texts)
    digest = checkin_plan.digest_for(deps.uow(), group_id=job.group_id, week=job.week,
                                     for_chairs=job.kind == "digest")
    return digest_message(job, digest, deps.texts)


def _already_posted(client: WebClient, to: str, delivery_id: int) -> tuple[str, str] | None:
    """A claim that was never confirmed (the process stopped mid-send): did Slack get the message anyway?"""
    channel = to
    if channel[:1] in ("U", "W"):
        channel = client.conversations_open(users=to)["channel"]["id"]
    messages: list[dict[str, Any]] = client.conversations_history(channel=channel, limit=50).get("messages") or []
    for message in messages:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("delivery") == delivery_id:
            return channel, str(message["ts"])
    return None
