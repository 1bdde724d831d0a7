"""What `python -m bot` checks before it serves, and what `/readyz` checks while it does.

At start: the bot token is tried with `auth.test` against whatever SLACK_API_URL points at, so a token
Slack rejects stops the boot with one line naming SLACK_BOT_TOKEN instead of a bot that starts, answers
`/healthz` and then fails every request. While serving, `/readyz` asks the database, compares the
schema with the latest migration and repeats `auth.test` at most once a minute (readiness is polled
every few seconds by load balancers; Slack rate-limits auth.test like any other method).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, text

from bot.settings import Settings

AUTH_CACHE_SECONDS = 60.0
# The errors that mean "this token is not good", as opposed to Slack being unwell.
REJECTED = ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
            "not_allowed_token_type")


def slack_auth_problem(settings: Settings, timeout: float = 10.0) -> str | None:
    """None when Slack accepts the bot token; otherwise one line saying what is wrong and where."""
    client = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=int(timeout))
    try:
        client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error") or error.response.status_code)
        if code in REJECTED:
            return (f"SLACK_BOT_TOKEN was rejected by Slack ({code}) at {settings.slack_api_url}: copy the Bot User "
                    "OAuth Token (xoxb-...) from your app's OAuth & Permissions page")
        return f"Slack answered auth.test with an error ({code}) at {settings.slack_api_url}"
    except OSError as error:  # refused, unreachable, timed out, bad TLS
        return f"Slack could not be reached at SLACK_API_URL={settings.slack_api_url} ({type(error).__name__})"
    return None


def database_problem(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure is the answer; its text may hold the URL
        return f"database did not answer ({type(error).__name__})"
    return None


def schema_problem(engine: Engine) -> str | None:
    from storage.migrate import current_revision, head_revision

    try:
        current, head = current_revision(engine), head_revision(engine)
    except Exception as error:  # noqa: BLE001 - as above
        return f"schema could not be read ({type(error).__name__})"
    return None if current == head else f"schema is at {current}, the latest migration is {head}"


class Readiness:
    """`/readyz`'s answer: (ready, {check: "ok" or what is wrong}). Slack's answer is kept for a minute."""

    def __init__(self, engine: Engine, slack: Callable[[], str | None] | None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.slack, self.now = engine, slack, now
        self._lock = threading.Lock()
        self._slack_checked: tuple[float, str | None] | None = None

    def __call__(self) -> tuple[bool, dict[str, Any]]:
        checks: dict[str, Any] = {"database": database_problem(self.engine) or "ok"}
        checks["schema"] = (schema_problem(self.engine) or "ok") if checks["database"] == "ok" else "not checked"
        if self.slack is not None:
            checks["slack_auth"] = self._slack() or "ok"
        return all(v == "ok" for v in checks.values()), checks

    def _slack(self) -> str | None:
        assert self.slack is not None
        with self._lock:
            cached = self._slack_checked
            if cached is not None and self.now() - cached[0] < AUTH_CACHE_SECONDS:
                return cached[1]
        problem = self.slack()
        with self._lock:
            self._slack_checked = (self.now(), problem)
        return problem
