"""The one error path: domain errors become a friendly private message; anything else is logged with a
reference. Every listener is registered through `guarded`, so no exception ever reaches bolt.

Why not only bolt's `@app.error`: when a listener raises after calling ack(), bolt 1.30's thread runner
resets the ack and the HTTP response waits out the 3-second ack timeout (measured here: 3.0 s for every
refusal). Handling the error inside the listener's own thread avoids that.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.erased import mention
from bot.domain.errors import DomainError
from bot.logs import request_scope
from bot.services import inbox
from bot.texts import Texts

log = logging.getLogger("handlers")


def describe(error: DomainError, texts: Texts) -> str:
    """The error's message, with user ids as mentions and stage keys as their titles."""
    params: dict[str, Any] = dict(error.params)
    if "chairs" in params:
        params["chairs"] = ", ".join(mention(u) for u in params["chairs"])
    if "user" in params:
        params["user"] = mention(params["user"])
    if "stage" in params:
        params["stage_title"] = texts.stage(params["stage"], "title")
    if "stages" in params:
        titles = [f"{i}. {texts.stage(s, 'title')}" for i, s in enumerate(params["stages"], 1)]
        params["stage_titles"] = ", ".join(titles)
    return texts.say(error.code, **params)


def message_for(error: Exception, texts: Texts) -> str:
    if isinstance(error, DomainError):
        return describe(error, texts)
    ref = uuid.uuid4().hex[:8]
    # The exception's type and traceback, never the payload: it holds what members wrote.
    log.error("unhandled error ref=%s type=%s", ref, type(error).__name__, exc_info=error)
    return texts.say("slack_failed" if isinstance(error, SlackApiError) else "internal_error", ref=ref)


def guarded(listener: Callable[..., None]) -> Callable[..., None]:
    """Wrap a listener so that an error is answered to the person, inline if not yet acknowledged.

    It also makes the request's inbox row current while the listener runs, and marks it handled when
    the listener is done (bot/services/inbox.py): the first write commits that mark with it.
    """
    wanted = inspect.getfullargspec(listener).args

    def run(ack: Ack, body: dict[str, Any], payload: dict[str, Any], client: WebClient, respond: Respond,
            context: dict[str, Any]) -> None:
        # The front door's request id, in this listener thread too (Socket Mode has none: a new one).
        with request_scope(context.get("request_id")):
            handle(ack, body, payload, client, respond, context)

    def handle(ack: Ack, body: dict[str, Any], payload: dict[str, Any], client: WebClient, respond: Respond,
               context: dict[str, Any]) -> None:
        deps = context["deps"]
        available = {"ack": ack, "body": body, "client": client, "respond": respond, "deps": deps,
                     "command": body, "action": payload, "view": payload, "event": payload}
        replayed = context.get("inbox_replayed") is not None
        ticket = inbox.ticket_for(context.get("inbox_id"), deps.clock)
        try:
            with inbox.handling(ticket):
                listener(**{name: available[name] for name in wanted})
        except inbox.AlreadyHandled:
            pass  # another process handled this request first (after a crash): nothing more to do
        except Exception as error:  # noqa: BLE001 - this is the one place errors are answered
            if replayed and _expired_trigger(error):
                # A form asked for before a crash can no longer open (its trigger lives 3 seconds).
                log.info("replayed request could not open its form: trigger expired")
            else:
                answer(error, body, ack, client, respond, deps.texts)
        finally:
            inbox.finish(deps.uow(), deps.clock, ticket)

    run.__name__ = listener.__name__
    return run


def _expired_trigger(error: Exception) -> bool:
    return isinstance(error, SlackApiError) and (error.response.get("error") if error.response else None) in (
        "expired_trigger_id", "invalid_trigger_id")


def answer(error: Exception, body: dict[str, Any], ack: Ack | None, client: WebClient, respond: Respond | None,
           texts: Texts) -> None:
    message = message_for(error, texts)
    if ack is not None and ack.response is None and body.get("type") != "event_callback":
        field = error.params.get("field") if isinstance(error, DomainError) else None
        ack(**inline_answer(body, message, field))
    elif respond is not None and body.get("response_url"):
        respond(text=message, response_type="ephemeral", replace_original=False)
    else:
        tell(client, body, message)


def handle_error(error: Exception, body: dict[str, Any], response: BoltResponse | None, client: WebClient,
                 respond: Respond | None, deps: Any) -> BoltResponse | None:
    """bolt's error handler, for errors outside listeners (middleware): same words, never a 5xx."""
    if isinstance(error, BoltUnhandledRequestError):
        # No listener wants this request (an event of a kind we ignore, a click on a stale element):
        # nothing will handle it, so it is done. Events still get their 200, so Slack does not retry.
        inbox_id = error.request.context.get("inbox_id")
        if inbox_id is not None:
            inbox.finish(deps.uow(), deps.clock, inbox.ticket_for(inbox_id, deps.clock))
        return BoltResponse(status=200, body="") if body.get("type") == "event_callback" else response
    message = message_for(error, deps.texts)
    if response is not None and body.get("type") != "event_callback":
        return BoltResponse(status=200, body=json.dumps(inline_answer(body, message)),
                            headers={"content-type": "application/json"})
    tell(client, body, message)
    return None


def inline_answer(body: dict[str, Any], message: str, field: str | None = None) -> dict[str, Any]:
    """For a modal, the message goes under the field it is about (or the first field)."""
    view = body.get("view") or {}
    if body.get("type") == "view_submission":
        inputs = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
        if inputs:
            return {"response_action": "errors", "errors": {field if field in inputs else inputs[0]: message[:2000]}}
    return {"response_type": "ephemeral", "text": message}


def tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """Tell the person behind `body` something privately, wherever they are."""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
    channel = (body.get("channel_id") or (body.get("channel") or {}).get("id")
               or (body.get("event") or {}).get("channel"))
    thread = (body.get("event") or {}).get("thread_ts")
    if channel and user and not str(channel).startswith("D"):
        client.chat_postEphemeral(channel=channel, user=user, text=message, thread_ts=thread)
    elif user:
        client.chat_postMessage(channel=user, text=message)
