"""The app factory: the one place Slack, the database and the templates are wired together."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import Engine

from bot.domain.clock import Clock, SystemClock
from bot.logs import withhold_slack_bodies
from bot.services.inbox import forget_handled
from bot.settings import Settings
from bot.texts import Texts
from handlers import register
from handlers.deps import Deps
from handlers.inbox import replay_stranded
from handlers.oauth import BotTokens, oauth_settings, register_workspace_events
from storage.db import make_engine, make_session_factory
from storage.migrate import ensure_schema

LISTENER_THREADS = 24


@dataclass
class Bundle:
    app: App
    deps: Deps
    engine: Engine


class RetryAfterHandler(RateLimitErrorRetryHandler):
    """Wait exactly what Slack's Retry-After says (slack_sdk adds up to a second of random jitter).

    Jitter spreads many clients' retries; the bot sends from one queue at a time, so the jitter is only
    lost time: on average half a second per 429 (with Retry-After 1, half as long again as Slack asked).
    """

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None, error: Exception | None = None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        headers = {k.lower(): v for k, v in response.headers.items()}
        try:
            wait = float(headers.get("retry-after", ["1"])[0])
        except (TypeError, ValueError):
            wait = 1.0
        state.next_attempt_requested = True
        time.sleep(max(0.0, min(wait, 60.0)))
        state.increment_current_attempt()


def make_client(settings: Settings) -> WebClient:
    """A Web API client pointed at SLACK_API_URL that retries rate limits (Retry-After) and 5xx."""
    return WebClient(
        token=settings.bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RetryAfterHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def quiet_confidential_loggers() -> None:
    # bolt and slack_sdk log request and response bodies (what members wrote) at DEBUG and INFO, and
    # App(...) resets bolt's logger levels when it is built: a filter, put on after it, holds.
    withhold_slack_bodies()


def create_app(settings: Settings, *, clock: Clock | None = None, texts: Texts | None = None,
               engine: Engine | None = None, migrate: bool = True) -> Bundle:
    engine = engine or make_engine(settings.database_url)
    if migrate:
        ensure_schema(engine)
    client = make_client(settings)
    oauth = oauth_settings(settings, engine, client)
    deps = Deps(session_factory=make_session_factory(engine), clock=clock or SystemClock(),
                texts=texts or Texts(), retention=settings.retention,
                bot_token_for=BotTokens(oauth, client) if oauth else None)
    app = App(
        client=client,
        # Multi-workspace (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): the OAuth install flow, and each
        # request authorized by its workspace's stored token (handlers/oauth.py).
        oauth_settings=oauth,
        signing_secret=settings.signing_secret or "socket-mode-has-no-secret",
        token_verification_enabled=False,
        # bolt's default is 5 threads; a command's ack waits for a free one, and twenty thread replies at
        # once held all five long enough for commands to miss Slack's 3 seconds (bench/durability.py).
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        # A request no listener takes reaches handle_error, which marks its inbox row handled.
        raise_error_for_unhandled_request=True,
        # The HTTP front door (bot/server.py) checks the signature on the raw bytes before bolt parses
        # anything; Socket Mode is never signed.
        request_verification_enabled=False,
    )
    quiet_confidential_loggers()
    register(app, deps)
    register_workspace_events(app, oauth.installation_store if oauth else None)  # type: ignore[arg-type]
    return Bundle(app, deps, engine)


def recover_stranded(bundle: Bundle, *, received_before: datetime) -> int:
    """Handle requests a process acknowledged and then died before handling (see handlers/inbox.py).

    Called once when a process starts, for everything received before it started (no process alive
    can still be working on those when only one serves; with several, the inbox's compare-and-set
    keeps it exactly once), and by the scheduler for requests stranded longer than a few minutes.
    """
    return replay_stranded(bundle.app, bundle.deps, received_before=received_before)


STRANDED_AFTER = timedelta(minutes=2)  # far longer than any listener takes; Slack's own retries stop at ~5


def recover_stale_requests(bundle: Bundle) -> int:
    """The scheduler's tick: requests unhandled for minutes are handled again; old inbox keys go."""
    forget_handled(bundle.deps.uow(), bundle.deps.clock)
    return recover_stranded(bundle, received_before=bundle.deps.clock.now() - STRANDED_AFTER)


def recover_in_background(bundle: Bundle) -> threading.Thread:
    """Start recovery for everything received before now without holding up serving."""
    started = bundle.deps.clock.now()
    thread = threading.Thread(target=recover_stranded, args=(bundle,), kwargs={"received_before": started},
                              name="inbox-recovery", daemon=True)
    thread.start()
    return thread
