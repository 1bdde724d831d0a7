"""The first middleware every request meets: store it, durably, before bolt acknowledges it.

Works the same over HTTP and Socket Mode, for events, slash commands, clicks and forms alike. The key
is the event id for events (Slack's retries carry the same one) and a digest of the whole payload for
everything else (trigger ids make each real request unique), so a repeated delivery is acknowledged
and dropped. `replay_stranded` hands requests a dead process acknowledged but never handled back to
the same listeners; see bot/services/inbox.py for why that is exactly once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from bot.services import inbox
from handlers.deps import Deps
from handlers.errors import inline_answer

log = logging.getLogger(__name__)

INBOX_ID = "inbox_id"  # the context key listeners find their request's inbox row under
REPLAYED = "inbox_replayed"  # set when a stored request is being handled again after a crash


def request_key(body: dict[str, Any]) -> tuple[str, str] | None:
    """(key, kind) for a request that carries something a person did; None for Slack's own checks."""
    kind = str(body.get("type") or ("slash_command" if body.get("command") else ""))
    if kind in ("url_verification", "ssl_check", "app_rate_limited", ""):
        return None
    if kind == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"[:80], f"event:{(body.get('event') or {}).get('type', '')}"[:40]
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f"request:{digest}", kind[:40]


def keep_before_ack(req: BoltRequest, context: BoltContext, body: dict[str, Any],
                    next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002 - bolt's name
    deps: Deps = context["deps"]
    if context.get(REPLAYED) is not None:
        context[INBOX_ID] = context[REPLAYED]
        return next()
    found = request_key(body)
    if found is None:
        return next()
    key, kind = found
    stored = json.dumps(body).encode()
    try:
        inbox_id = inbox.receive(deps.uow(), deps.clock, key=key, kind=kind, content_type="application/json",
                                 body=stored)
    except inbox.NotStored as failure:
        return not_stored(body, kind, str(failure), deps)
    if inbox_id is None:
        return BoltResponse(status=200, body="")  # a repeated delivery: the first copy is (being) handled
    context[INBOX_ID] = inbox_id
    return next()


def not_stored(body: dict[str, Any], kind: str, reason: str, deps: Deps) -> BoltResponse:
    """A request the database would not take is never acknowledged as received.

    An event gets 429, so that Slack sends it again later (it re-sends on any answer but 2xx, and the
    product never answers 5xx); a person who used a command, button or form is told at once, in the
    acknowledgement itself, that nothing was saved.
    """
    log.error("request not stored, not acknowledged: %s (%s)", kind, reason)
    if kind.startswith("event"):
        return BoltResponse(status=429, body="", headers={"Retry-After": "60"})
    answer = inline_answer(body, deps.texts.say("not_stored"))  # under the form's first field, or ephemeral
    return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": "application/json"})


def replay_stranded(app: App, deps: Deps, *, received_before: datetime) -> int:
    """Hand every stranded request (received before `received_before`) to the listeners again."""
    items = inbox.stranded(deps.uow(), deps.clock, received_before=received_before)
    for item in items:
        log.warning("handling again a request received before a restart: inbox id %d", item.inbox_id)
        app.dispatch(BoltRequest(body=item.body.decode(), headers={"content-type": [item.content_type]},
                                 context={REPLAYED: item.inbox_id}))
    return len(items)
