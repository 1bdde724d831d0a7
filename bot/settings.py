"""Settings from the environment (and a `.env` file, which never overrides the real environment)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

from bot.domain.retention import DEFAULTS as RETENTION_DEFAULTS
from bot.domain.retention import Kind, check_defaults
from storage.db import DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class Settings:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"  # LOG_FORMAT: "text" (one line a record) or "json" (one JSON object a line)
    slack_api_url: str = "https://slack.com/api/"
    workers: int = 2
    metrics_port: int = 0  # METRICS_PORT: /metrics for a process that serves no HTTP (the clock); 0: none
    # Months each kind of record is kept unless a group sets its own (RETENTION_<KIND>_MONTHS, e.g.
    # RETENTION_CHECKINS_MONTHS=6): bot/domain/retention.py has the kinds, defaults and bounds.
    retention: Mapping[Kind, int] = field(default_factory=lambda: dict(RETENTION_DEFAULTS))
    # Multi-workspace install (OAuth v2): with a client id and secret the bot installs into any number of
    # workspaces and keeps each one's token in the database (handlers/oauth.py); no SLACK_BOT_TOKEN.
    client_id: str = ""
    client_secret: str = ""
    scopes: tuple[str, ...] = ()
    redirect_uri: str = ""  # Slack requires it only when the app lists several redirect URLs
    install_path: str = "/slack/install"
    redirect_uri_path: str = "/slack/oauth_redirect"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, dotenv: bool = True) -> Settings:
        if env is None:
            if dotenv:
                load_dotenv(override=False)
            env = dict(os.environ)
        api = env.get("SLACK_API_URL") or cls.slack_api_url
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            app_token=env.get("SLACK_APP_TOKEN", ""),
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            port=int(env.get("PORT") or 3000),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            log_format=(env.get("LOG_FORMAT") or "text").strip().lower(),
            slack_api_url=api if api.endswith("/") else api + "/",
            workers=int(env.get("WEB_CONCURRENCY") or 2),
            metrics_port=int(env.get("METRICS_PORT") or 0),
            retention=retention_from_env(env),
            client_id=env.get("SLACK_CLIENT_ID", ""),
            client_secret=env.get("SLACK_CLIENT_SECRET", ""),
            scopes=tuple(s.strip() for s in (env.get("SLACK_SCOPES") or "").split(",") if s.strip()),
            redirect_uri=env.get("SLACK_REDIRECT_URI", ""),
            install_path=env.get("SLACK_INSTALL_PATH") or cls.install_path,
            redirect_uri_path=env.get("SLACK_REDIRECT_URI_PATH") or cls.redirect_uri_path,
        )

    def missing(self) -> list[str]:
        """The settings the real bot cannot run without, by environment variable name."""
        needed = {"SLACK_BOT_TOKEN": self.bot_token}
        if self.client_id or self.client_secret:  # multi-workspace: tokens come from installs
            needed = {"SLACK_CLIENT_ID": self.client_id, "SLACK_CLIENT_SECRET": self.client_secret,
                      "SLACK_SCOPES": ",".join(self.scopes)}
        if self.app_token:
            return [k for k, v in needed.items() if not v]
        needed["SLACK_SIGNING_SECRET"] = self.signing_secret
        return [k for k, v in needed.items() if not v]

    @property
    def multi_workspace(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


def retention_from_env(env: Mapping[str, str]) -> dict[Kind, int]:
    """The deployment's retention defaults: RETENTION_<KIND>_MONTHS over the built-in ones, within the same
    bounds a chair has (a bad value stops the boot with the variable's name)."""
    months = dict(RETENTION_DEFAULTS)
    for kind in Kind:
        name = f"RETENTION_{kind.value.upper()}_MONTHS"
        if value := (env.get(name) or "").strip():
            if not value.isdigit():
                raise ValueError(f"{name} must be a whole number of months, not {value!r}")
            months[kind] = int(value)
    check_defaults(months)
    return months


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def validate_env(env: Mapping[str, str]) -> list[str]:
    """Every problem with the settings, one line each naming the variable, what is wrong and the right form.

    Run before anything starts, so that `python -m bot` exits 2 with these lines instead of a traceback
    (a bad PORT used to surface as int()'s ValueError, a missing database folder as SQLite's error).
    """
    problems: list[str] = []
    port = (env.get("PORT") or "").strip()
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        problems.append(f"PORT must be a whole number from 1 to 65535, not {port!r}")
    workers = (env.get("WEB_CONCURRENCY") or "").strip()
    if workers and not (workers.isascii() and workers.isdigit() and 1 <= int(workers) <= 64):
        problems.append(f"WEB_CONCURRENCY must be a whole number from 1 to 64, not {workers!r}")
    level = (env.get("LOG_LEVEL") or "").strip()
    if level and level.upper() not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    api = (env.get("SLACK_API_URL") or "").strip()
    if api and not api.startswith(("https://", "http://")):
        problems.append(f"SLACK_API_URL must be an http(s) URL such as https://slack.com/api/, not {api!r}")
    try:
        retention_from_env(env)
    except ValueError as error:
        problems.append(str(error))
    problems.extend(database_problems(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
                                      default=not env.get("DATABASE_URL")))
    return problems


def database_problems(url: str, *, default: bool = False) -> list[str]:
    """A DATABASE_URL that cannot work: malformed, another kind of database, or a SQLite file the bot could
    not open and write (its folder missing or read-only, the file unreadable). The default's folder is
    created at start, so its absence is no problem."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from storage.db import normalise_url

    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        return ["DATABASE_URL is not a database URL: use sqlite:////absolute/path/carehome.db or "
                "postgresql://user:password@host:5432/dbname"]
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        return [f"DATABASE_URL must be a sqlite:/// or postgresql:// URL, not {parsed.get_backend_name()}://"]
    if parsed.get_backend_name() == "postgresql":
        return [] if parsed.database and parsed.host else [
            "DATABASE_URL for PostgreSQL needs a host and a database name: postgresql://user:password@host:5432/dbname"]
    if not parsed.database or parsed.database == ":memory:":
        return []
    path = Path(parsed.database).resolve()
    folder = path.parent
    if path.is_dir():
        return [f"DATABASE_URL points at a folder, not a file: {path}"]
    if not folder.is_dir():
        return [] if default else [f"DATABASE_URL: the folder {folder} does not exist (create it, or point "
                                   "DATABASE_URL at a file in an existing folder)"]
    if not os.access(folder, os.W_OK | os.X_OK):
        return [f"DATABASE_URL: the folder {folder} is not writable by this user (SQLite writes its journal "
                "beside the database file)"]
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return [f"DATABASE_URL: the file {path} cannot be read and written by this user"]
    return []
