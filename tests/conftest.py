"""Shared fixtures: a migrated database per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from bot.domain.clock import FakeClock
from storage.db import make_engine, normalise_url
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Base

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def fresh_engine(backend: str, tmp_path: Path) -> Engine:
    """An empty, migrated database: a copy of a SQLite file migrated once per run, or the PostgreSQL
    test database emptied (migrating afresh only if a test dropped the schema). Migrating every test's
    database from scratch cost more than the tests themselves."""
    if backend == "sqlite":
        shutil.copy(_migrated_sqlite_template(), tmp_path / "test.db")
        return make_engine(f"sqlite:///{tmp_path}/test.db")
    engine = make_engine(_postgres_url())
    with engine.begin() as conn:
        migrated = conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is not None
    if migrated and current_revision(engine) == head_revision(engine):
        # Emptied row by row, children first, with the id sequences restarted: ten times faster than
        # TRUNCATE ... RESTART IDENTITY on tables this small, and the same result.
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
                if "id" in table.c:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), 1, false)"))
        return engine
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


@functools.cache
def _postgres_url() -> str:
    """TEST_DATABASE_URL; under pytest-xdist each worker has a database of its own (created when missing,
    beside the given one), so that parallel workers never empty each other's tables."""
    url = make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    name = f"{url.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@functools.cache
def _migrated_sqlite_template() -> Path:
    folder = tempfile.mkdtemp(prefix="carehome-template-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # one per test run, gone when it ends
    path = Path(folder) / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file, to copy it
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng = fresh_engine(request.param, tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
