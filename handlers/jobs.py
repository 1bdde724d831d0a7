"""Periodic work run by the scheduler, driven by what the database says is due."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.domain.assessment import AssessmentJob, PlanCheckJob
from bot.domain.checkins import DeliveryJob
from bot.domain.reminders import ReminderJob
from bot.services import (
    assessments,
    checkin_plan,
    checkin_trends,
    deliveries,
    forward_plans,
    meetings,
    reminders,
    report_schedule,
)
from bot.services.checkin_trends import EscalationJob
from bot.services.report_schedule import ReportJob
from bot.services.workspaces import cancel_for_missing_workspace
from handlers.blocks.assessment import invite_message as assessment_message
from handlers.blocks.checkin import digest_message, invite_message, summary_message
from handlers.blocks.checkin_trends import escalation_message
from handlers.blocks.forward_plan import check_message
from handlers.blocks.reminders import reminder_message
from handlers.deps import Deps
from handlers.progress_report import post_report
from handlers.publish import post_card
from handlers.workspaces import client_for_group

log = logging.getLogger(__name__)


Sent = DeliveryJob | ReminderJob | EscalationJob | AssessmentJob | PlanCheckJob  # the jobs `_deliver` sends


def repost_unposted_cards(client: WebClient, deps: Deps) -> int:
    """Post stage cards that were recorded but never reached Slack; returns how many were posted."""
    posted = 0
    for card in meetings.unposted_cards(deps.uow(), deps.clock):
        if (workspace := client_for_group(client, deps, card.state.group.id)) is None:
            continue  # the app left that workspace: nothing can be posted there
        try:
            post_card(workspace, deps, card)
            posted += 1
        except SlackApiError as exc:
            log.warning("card %s still not posted: %s", card.card_id, exc.response.get("error"))
    return posted


def run_checkins(client: WebClient, deps: Deps) -> int:
    """The check-in tick: open the weeks that are due, plan reminders and digests, send; returns how many sent."""
    checkin_plan.plan_due(deps.uow(), deps.clock)
    return send_due_checkins(client, deps)


def send_due(client: WebClient, deps: Deps) -> int:
    """Send whatever is due, planning nothing: run at start and often, so that a fan-out a crash interrupted
    resumes as soon as its claims lapse (see bot/services/deliveries.py); returns how many were sent."""
    return send_due_checkins(client, deps) + send_due_reminders(client, deps) + send_due_assessments(client, deps)


def _drain(deps: Deps, claim: Callable[[], Any], send: Callable[[Any], int]) -> int:
    """Claim due deliveries batch by batch and send each, holding (renewing) the claims while this process
    works on them; returns how many were sent. Every kind of delivery goes through here."""
    sent = 0
    with deliveries.Holding(deps.uow, deps.clock).kept() as held:
        while jobs := claim():
            held.add(jobs)
            for job in jobs:
                sent += send(job)
                held.drop(job)
    return sent


def send_due_checkins(client: WebClient, deps: Deps, batch: int = 25) -> int:
    """Send every due delivery; rows another scheduler has claimed are skipped, failures retried later."""
    return _drain(deps, lambda: checkin_plan.claim_due(deps.uow(), deps.clock, limit=batch),
                  lambda job: deliver(client, deps, job))


def deliver(client: WebClient, deps: Deps, job: DeliveryJob) -> int:
    """Send one claimed check-in delivery; returns 1 if a message went out now."""
    return _deliver(client, deps, job, job.user_id, partial(_message, deps, job))


def run_reminders(client: WebClient, deps: Deps) -> int:
    """The reminders' tick (actions due and overdue, report back, the agenda): plan what is due, send; returns
    how many were sent."""
    reminders.plan_due(deps.uow(), deps.clock)
    return send_due_reminders(client, deps)


def send_due_reminders(client: WebClient, deps: Deps, batch: int = 25) -> int:
    """Send every due reminder, like `send_due_checkins`: each process claims its own rows, failures retry."""
    return _drain(deps, lambda: reminders.claim_due(deps.uow(), deps.clock, deps.catalogue, limit=batch),
                  lambda job: _deliver(client, deps, job, job.to, partial(reminder_message, job, deps.texts)))


def send_due_assessments(client: WebClient, deps: Deps, batch: int = 25) -> int:
    """Send the self-assessment rounds' DMs and their reminders (planned, with their dates, when a chair
    opens a round): nothing to plan on a tick, so `send_due` covers them."""
    sent = _drain(deps, lambda: assessments.claim_due(deps.uow(), deps.clock, limit=batch),
                  lambda job: _deliver(client, deps, job, job.to, partial(assessment_message, job, deps.texts)))
    # Forward plans' checks, three months on.
    return sent + _drain(deps, lambda: forward_plans.claim_due(deps.uow(), deps.clock, limit=batch),
                         lambda job: _deliver(client, deps, job, job.to, partial(check_message, job, deps.texts)))


def run_checkin_escalations(client: WebClient, deps: Deps) -> int:
    """Tell the chairs of a home silent, or raising the same concern, for weeks running; returns how many sent."""
    checkin_trends.plan_due(deps.uow(), deps.clock)
    return _drain(deps, lambda: checkin_trends.claim_due(deps.uow(), deps.clock),
                  lambda job: _deliver(client, deps, job, job.to, partial(escalation_message, job, deps.texts)))


def run_progress_reports(client: WebClient, deps: Deps) -> int:
    """Post each scheduled progress report that has fallen due (`/group report every n months`), once."""
    report_schedule.plan_due(deps.uow(), deps.clock)
    return _drain(deps, lambda: report_schedule.claim_due(deps.uow(), deps.clock),
                  lambda job: _send_report(client, deps, job))


def _send_report(client: WebClient, deps: Deps, job: ReportJob) -> int:
    """Like `_deliver`, with the report's two calls (the summary carries the delivery's metadata)."""
    if (workspace := _workspace_client(client, deps, job)) is None:
        return 0
    client = workspace
    try:
        if job.uncertain and (found := already_posted(client, job.to, job.id)):
            deliveries.mark_sent(deps.uow(), deps.clock, job.id, *found)
            return 0
        if not deliveries.begin_send(deps.uow(), deps.clock, job):
            return 0
        data = report_schedule.scheduled_report(deps.uow(), deps.clock, job)
        where = post_report(_poster(client), deps.texts, job.to, data,
                            metadata={"event_type": "report_delivery", "event_payload": {"delivery": job.id}})
        deliveries.mark_sent(deps.uow(), deps.clock, job.id, *where)
        return 1
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        log.warning("delivery %s (%s) not sent: %s", job.id, job.kind, error)
        deliveries.mark_failed(deps.uow(), deps.clock, job.id, job.attempt, error)
        return 0


def _deliver(client: WebClient, deps: Deps, job: Sent, to: str, message: Callable[[], dict[str, Any]]) -> int:
    """Send one claimed delivery to a user (DM) or channel; after an unconfirmed claim, look in Slack first.

    A lost connection or a timeout leaves the row `sending`: Slack may have the message, so the next claim
    looks it up rather than posting again (the lease lapses once the sender stops holding it).
    """
    if (workspace := _workspace_client(client, deps, job)) is None:
        return 0
    client = workspace
    try:
        if job.uncertain and (found := already_posted(client, to, job.id)):
            deliveries.mark_sent(deps.uow(), deps.clock, job.id, *found)
            return 0
        if not deliveries.begin_send(deps.uow(), deps.clock, job):
            return 0  # another process took the claim over (this one stalled past its lease): it sends
        answer = _poster(client).chat_postMessage(channel=to, **message())
        deliveries.mark_sent(deps.uow(), deps.clock, job.id, answer["channel"], answer["ts"])
        return 1
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        log.warning("delivery %s (%s) not sent: %s", job.id, job.kind, error)
        deliveries.mark_failed(deps.uow(), deps.clock, job.id, job.attempt, error)
        return 0
    except OSError as exc:
        log.warning("delivery %s (%s) unconfirmed: %s", job.id, job.kind, type(exc).__name__)
        return 0


def _workspace_client(client: WebClient, deps: Deps, job: Any) -> WebClient | None:
    """The client for a claimed delivery's workspace (any job with group_id, id, attempt); None, and the
    delivery cancelled, when the app is no longer installed there."""
    workspace = client_for_group(client, deps, job.group_id)
    if workspace is None:
        cancel_for_missing_workspace(deps.uow(), deps.clock, job.id, job.attempt)
    return workspace


def _message(deps: Deps, job: DeliveryJob) -> dict[str, Any]:
    if job.kind in ("checkin", "reminder"):
        return invite_message(job, deps.texts)
    if job.kind == checkin_plan.CHANNEL_DIGEST:  # counts and topics only: never names or answers
        return summary_message(job, checkin_plan.summary_for(deps.uow(), group_id=job.group_id, week=job.week),
                               deps.texts)
    return digest_message(job, checkin_plan.digest_for(deps.uow(), group_id=job.group_id, week=job.week),
                          deps.texts)


_posters: weakref.WeakKeyDictionary[WebClient, WebClient] = weakref.WeakKeyDictionary()


def _poster(client: WebClient) -> WebClient:
    """The client without its connection-error retries: a connection dropped after the request went out
    may have posted the message, and retrying blindly would post it twice (the next claim looks it up)."""
    if (poster := _posters.get(client)) is None:
        handlers = [h for h in client.retry_handlers if not isinstance(h, ConnectionErrorRetryHandler)]
        poster = _posters[client] = WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                                              retry_handlers=handlers, logger=client.logger)
    return poster


HISTORY_PAGES = 10  # 2,000 messages: far more than a DM or group channel gets between a crash and the lookup


def already_posted(client: WebClient, to: str, delivery_id: int) -> tuple[str, str] | None:
    """A claim that was never confirmed (the process stopped mid-send): did Slack get the message anyway?

    Found by the metadata the message was sent with, which Slack returns only when asked for
    (`include_all_metadata`). Read newest first: a message sent just before a crash is among the latest.
    """
    channel = to
    if channel[:1] in ("U", "W"):
        channel = client.conversations_open(users=to)["channel"]["id"]
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(channel=channel, limit=200, include_all_metadata=True, cursor=cursor)
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if str(metadata.get("event_type", "")).endswith("_delivery") and payload.get("delivery") == delivery_id:
                return channel, str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return None
