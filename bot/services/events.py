"""Slack's re-sent events: the first copy of an event id is processed, later copies are not."""

from __future__ import annotations

from bot.domain.clock import Clock
from storage.uow import UnitOfWork


def first_sight(uow: UnitOfWork, clock: Clock, event_id: str) -> bool:
    with uow:
        fresh = uow.processed.claim(f"event:{event_id}", clock.now())
        uow.commit()
        return fresh
