"""Shared fixtures: a migrated database per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from bot.domain.clock import FakeClock
from storage.db import make_engine, normalise_url
from storage.migrate import upgrade

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def fresh_engine(backend: str, tmp_path) -> Engine:  # type: ignore[no-untyped-def]
    """An empty, migrated database: a new SQLite file, or the PostgreSQL test database wiped."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/test.db")
    else:
        engine = make_engine(normalise_url(os.environ["TEST_DATABASE_URL"]))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    eng = fresh_engine(request.param, tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
