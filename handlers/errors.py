"""The one error handler: domain errors become a friendly message; anything else is logged with a reference."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import DomainError
from bot.texts import Texts

log = logging.getLogger("handlers")


def describe(error: DomainError, texts: Texts) -> str:
    """The error's message, with user ids as mentions and stage keys as their titles."""
    params: dict[str, Any] = dict(error.params)
    if "chairs" in params:
        params["chairs"] = ", ".join(f"<@{u}>" for u in params["chairs"])
    if "user" in params:
        params["user"] = f"<@{params['user']}>"
    if "stage" in params:
        params["stage_title"] = texts.stage(params["stage"], "title")
    if "stages" in params:
        titles = [f"{i}. {texts.stage(s, 'title')}" for i, s in enumerate(params["stages"], 1)]
        params["stage_titles"] = ", ".join(titles)
    return texts.say(error.code, **params)


def handle_error(error: Exception, body: dict[str, Any], response: BoltResponse | None, client: WebClient,
                 respond: Respond | None, deps: Any) -> BoltResponse | None:
    texts: Texts = deps.texts
    if isinstance(error, DomainError):
        message = describe(error, texts)
    else:
        ref = uuid.uuid4().hex[:8]
        # The exception's type and where it came from, never the payload: it holds what members wrote.
        log.error("unhandled error ref=%s type=%s", ref, type(error).__name__, exc_info=error)
        code = "slack_failed" if isinstance(error, SlackApiError) else "internal_error"
        message = texts.say(code, ref=ref)
    if response is not None and body.get("type") != "event_callback":
        # Not acknowledged yet: answer in the HTTP response itself. (Events are acknowledged before
        # their listener runs, whatever bolt hands us here.)
        return BoltResponse(status=200, body=_inline_answer(body, message),
                            headers={"content-type": "application/json"})
    if respond is not None and body.get("response_url"):
        respond(text=message, response_type="ephemeral", replace_original=False)
    else:
        tell(client, body, message)
    return None


def _inline_answer(body: dict[str, Any], message: str) -> str:
    view = body.get("view") or {}
    if body.get("type") == "view_submission":
        first_input = next((b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"), None)
        if first_input:
            return json.dumps({"response_action": "errors", "errors": {first_input: message[:2000]}})
    return json.dumps({"response_type": "ephemeral", "text": message})


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
