"""End-to-end fixtures: FakeSlack, the real bot over HTTP on a fresh database, and a signed driver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.db import make_session_factory
from tests import checkin_steps
from tests.harness import CHANNEL, RunningBot, make_fake
from tests.standin import FakeSlack, SlackDriver


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = make_fake()
    yield fake
    fake.stop()


@pytest.fixture
def bot(fake, engine, clock) -> Iterator[RunningBot]:  # type: ignore[no-untyped-def]
    running = RunningBot(fake, engine, clock)
    yield running
    running.stop()


@pytest.fixture
def driver(bot: RunningBot) -> SlackDriver:
    return bot.driver()


class Db:
    """Read what the bot stored, straight from the database."""

    def __init__(self, engine: Any) -> None:
        self.session = make_session_factory(engine)

    def all(self, model: Any, **where: Any) -> list[Any]:
        with self.session() as s:
            return list(s.scalars(select(model).filter_by(**where).order_by(model.id)))

    def count(self, model: Any, **where: Any) -> int:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(model).filter_by(**where)) or 0

    def one(self, model: Any, **where: Any) -> Any:
        rows = self.all(model, **where)
        assert len(rows) == 1, f"expected one {model.__name__} where {where}, found {len(rows)}"
        return rows[0]


@pytest.fixture
def db(engine: Any) -> Db:
    return Db(engine)


@pytest.fixture
def checkin_group(bot: RunningBot, driver: SlackDriver, fake: FakeSlack) -> None:
    checkin_steps.checkin_group(driver, fake)


@pytest.fixture
def channel() -> str:
    return CHANNEL
