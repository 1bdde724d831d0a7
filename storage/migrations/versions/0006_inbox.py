"""inbox: requests durable before they are acknowledged

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('content_type', sa.String(length=80), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('handled_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox')),
        sa.UniqueConstraint('key', name=op.f('uq_inbox_key')),
    )
    op.create_index('ix_inbox_pending', 'inbox', ['handled_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_inbox_pending', table_name='inbox')
    op.drop_table('inbox')
