"""The app factory: the one place Slack, the database and the templates are wired together."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.domain.clock import Clock, SystemClock
from bot.settings import Settings
from bot.texts import Texts
from handlers import register
from handlers.deps import Deps
from storage.db import make_engine, make_session_factory
from storage.migrate import ensure_schema


@dataclass
class Bundle:
    app: App
    deps: Deps
    engine: Engine


def make_client(settings: Settings) -> WebClient:
    """A Web API client pointed at SLACK_API_URL that retries rate limits (Retry-After) and 5xx."""
    return WebClient(
        token=settings.bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def quiet_confidential_loggers() -> None:
    # bolt logs the whole request body at INFO when a signature check fails: member text must not
    # reach the logs, so that logger only speaks from WARNING up.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)


def create_app(settings: Settings, *, clock: Clock | None = None, texts: Texts | None = None,
               engine: Engine | None = None, migrate: bool = True) -> Bundle:
    quiet_confidential_loggers()
    engine = engine or make_engine(settings.database_url)
    if migrate:
        ensure_schema(engine)
    deps = Deps(session_factory=make_session_factory(engine), clock=clock or SystemClock(),
                texts=texts or Texts())
    app = App(
        client=make_client(settings),
        signing_secret=settings.signing_secret or "socket-mode-has-no-secret",
        token_verification_enabled=False,
        request_verification_enabled=not settings.socket_mode,
    )
    register(app, deps)
    return Bundle(app, deps, engine)
