"""What every listener gets injected (as the `deps` argument, through bolt's context)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import sessionmaker

from bot.domain.clock import Clock
from bot.texts import Texts
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Deps:
    session_factory: sessionmaker
    clock: Clock
    texts: Texts

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
