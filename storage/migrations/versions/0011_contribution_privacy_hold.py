"""contributions.held: a reply that may identify a resident, kept out of the record until its author acts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows were never checked by the guardrail (bot/domain/guardrail.py); they stay in the record.
    with op.batch_alter_table('contributions') as batch:
        batch.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('contributions') as batch:
        batch.drop_column('held')
