"""What every listener gets injected (as the `deps` argument, through bolt's context)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import sessionmaker

from bot.domain.clock import Clock
from bot.domain.retention import DEFAULTS as RETENTION_DEFAULTS
from bot.domain.retention import Kind
from bot.texts import Texts
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Deps:
    session_factory: sessionmaker
    clock: Clock
    texts: Texts
    retention: Mapping[Kind, int] = field(default_factory=lambda: dict(RETENTION_DEFAULTS))  # the deployment's
    # Multi-workspace install: a workspace's bot token by team id (None: not installed there). None in the
    # single-workspace mode, where the app's one client serves every group (handlers/workspaces.py).
    bot_token_for: Callable[[str], str | None] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    @property
    def catalogue(self) -> dict[str, tuple[str, ...]]:
        """Theme names by theme-set key, as services need them (the words stay in templates/)."""
        return {key: tuple(t.name for t in ts.themes) for key, ts in self.texts.theme_sets.items()}

    @property
    def theme_descriptions(self) -> dict[str, str]:
        return {t.name: t.description for ts in self.texts.theme_sets.values() for t in ts.themes}
