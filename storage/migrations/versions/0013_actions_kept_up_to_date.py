"""actions kept up to date: objective, year-1 milestone, target as written, responsible parties, merges;
action_edits (every change to an action's plan: what, by whom, when)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('actions') as batch:
        batch.add_column(sa.Column('objective', sa.Text(), nullable=True))
        batch.add_column(sa.Column('milestone', sa.Text(), nullable=True))
        batch.add_column(sa.Column('target_text', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('responsible_users', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('responsible_text', sa.Text(), nullable=True))
        batch.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_actions_merged_into_actions'), 'actions', ['merged_into'], ['id'],
                                 ondelete='SET NULL')
    op.create_table(
        'action_edits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('request_key', sa.Text(), nullable=True),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_edits_action_id_actions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_edits')),
        sa.UniqueConstraint('request_key', name=op.f('uq_action_edits_request_key')),
    )
    with op.batch_alter_table('action_edits') as batch:
        batch.create_index(batch.f('ix_action_edits_action_id'), ['action_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_edits') as batch:
        batch.drop_index(batch.f('ix_action_edits_action_id'))
    op.drop_table('action_edits')
    with op.batch_alter_table('actions') as batch:
        batch.drop_constraint(batch.f('fk_actions_merged_into_actions'), type_='foreignkey')
        batch.drop_column('merged_into')
        batch.drop_column('responsible_text')
        batch.drop_column('responsible_users')
        batch.drop_column('target_text')
        batch.drop_column('milestone')
        batch.drop_column('objective')
