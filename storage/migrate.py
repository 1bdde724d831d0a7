"""Applying Alembic migrations, and the check the app makes before it serves.

Choice: a SQLite database (the default, one file next to the app) is migrated automatically when the
app starts, so `make demo` and a first `make run` just work. A PostgreSQL database is never changed
behind the operator's back: the app refuses to start until `python -m bot db upgrade` has been run.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaNotReady(RuntimeError):
    pass


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine) -> None:
    if current_revision(engine) == head_revision(engine):
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise SchemaNotReady(
        f"The database is not migrated (at {current_revision(engine) or 'nothing'}, "
        f"needs {head_revision(engine)}). Run: python -m bot db upgrade"
    )
