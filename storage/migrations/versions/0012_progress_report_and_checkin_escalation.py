"""groups: the progress report's schedule and last run; the check-in escalation threshold

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('groups') as batch:
        batch.add_column(sa.Column('report_every_months', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('report_from', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_report_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('checkin_escalate_weeks', sa.Integer(), server_default='3', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('groups') as batch:
        batch.drop_column('checkin_escalate_weeks')
        batch.drop_column('last_report_at')
        batch.drop_column('report_from')
        batch.drop_column('report_every_months')
