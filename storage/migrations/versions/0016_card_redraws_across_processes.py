"""card redraws across processes: on a slot's first card, the asks counted, the count last drawn, and who
redraws now under a lease (bot/services/redraws.py)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stage_cards') as batch:
        batch.add_column(sa.Column('redraw_requested', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('redrawn_version', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('redraw_holder', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('redraw_lease_until', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('stage_cards') as batch:
        batch.drop_column('redraw_lease_until')
        batch.drop_column('redraw_holder')
        batch.drop_column('redrawn_version')
        batch.drop_column('redraw_requested')
