"""retention_settings: a group's own months per kind of record (bot/domain/retention.py)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'retention_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('set_by', sa.String(length=32), nullable=False),
        sa.Column('set_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_retention_settings_group_id_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_settings')),
        sa.UniqueConstraint('group_id', 'kind', name=op.f('uq_retention_settings_group_id_kind')),
    )
    op.create_index(op.f('ix_retention_settings_group_id'), 'retention_settings', ['group_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_retention_settings_group_id'), table_name='retention_settings')
    op.drop_table('retention_settings')
