"""The migrations and the models describe the same schema, on every database we run on."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.migrate import current_revision, ensure_schema, head_revision
from storage.models import Base


def test_migrations_leave_nothing_for_autogenerate_to_add(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_the_migrated_database_is_at_head(engine):
    assert current_revision(engine) == head_revision(engine)
    ensure_schema(engine)  # at head: nothing to do, nothing raised
