"""meetings: at most one running meeting per group (partial unique index)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # Before this index, concurrent starts could leave a group with two running meetings. Keep the
    # newest running (the one the channel carries on with) and end the older ones, so the index can be
    # built; ended_at is their start time, since when they really stopped is unknown.
    op.execute(sa.text(
        "UPDATE meetings SET status = 'ended', ended_at = started_at "
        "WHERE status = 'running' AND EXISTS (SELECT 1 FROM meetings AS newer WHERE newer.group_id = "
        "meetings.group_id AND newer.status = 'running' AND newer.number > meetings.number)"))
    op.create_index('uq_meetings_one_running', 'meetings', ['group_id'], unique=True,
                    sqlite_where=RUNNING, postgresql_where=RUNNING)


def downgrade() -> None:
    op.drop_index('uq_meetings_one_running', table_name='meetings')
