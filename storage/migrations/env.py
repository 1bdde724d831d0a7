"""Alembic environment: uses the engine handed over by storage.migrate (or DATABASE_URL)."""

from __future__ import annotations

import os

from alembic import context

from storage.db import DEFAULT_DATABASE_URL, make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=engine.dialect.name == "sqlite", compare_type=True)
        context.run_migrations()


run_migrations_online()
