"""The app migrates a SQLite file by itself and refuses an un-migrated PostgreSQL database."""

import os

import pytest
from sqlalchemy import text

from storage.db import make_engine, normalise_url
from storage.migrate import SchemaNotReady, current_revision, ensure_schema, head_revision


def test_a_new_sqlite_file_is_migrated_on_start(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/new.db")
    ensure_schema(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_an_unmigrated_postgresql_database_is_refused_with_the_command_to_run():
    engine = make_engine(normalise_url(os.environ["TEST_DATABASE_URL"]))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    with pytest.raises(SchemaNotReady, match="python -m bot db upgrade"):
        ensure_schema(engine)
    engine.dispose()


def test_postgres_urls_get_a_driver_name():
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
