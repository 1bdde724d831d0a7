"""next meeting and report-back cards

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_meeting_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_meeting_set_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('next_meeting_set_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('stage_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stage_cards_action_id_actions'), 'actions', ['action_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('stage_cards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stage_cards_action_id_actions'), type_='foreignkey')
        batch_op.drop_column('action_id')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('next_meeting_set_at')
        batch_op.drop_column('next_meeting_set_by')
        batch_op.drop_column('next_meeting_at')

