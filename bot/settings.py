"""Settings from the environment (and a `.env` file, which never overrides the real environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from dotenv import load_dotenv

from storage.db import DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class Settings:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    slack_api_url: str = "https://slack.com/api/"
    workers: int = 2

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
            slack_api_url=api if api.endswith("/") else api + "/",
            workers=int(env.get("WEB_CONCURRENCY") or 2),
        )

    def missing(self) -> list[str]:
        """The settings the real bot cannot run without, by environment variable name."""
        needed = {"SLACK_BOT_TOKEN": self.bot_token}
        if self.app_token:
            return [k for k, v in needed.items() if not v]
        needed["SLACK_SIGNING_SECRET"] = self.signing_secret
        return [k for k, v in needed.items() if not v]

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)
