"""themes, actions, feedback and minutes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=True),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=True),
    sa.Column('agency_in_group', sa.Boolean(), nullable=False),
    sa.Column('volunteer_id', sa.String(length=32), nullable=True),
    sa.Column('prerequisites', sa.Text(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('request_key', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_actions_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_actions_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions')),
    sa.UniqueConstraint('group_id', 'number', name=op.f('uq_actions_group_id_number')),
    sa.UniqueConstraint('request_key', name=op.f('uq_actions_request_key'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_owner_id'), ['owner_id'], unique=False)

    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('markdown', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_minutes_meeting_id'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('question', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('themes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('theme_step', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_meeting_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('stage_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('question', sa.String(length=40), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('stage_cards', schema=None) as batch_op:
        batch_op.drop_column('question')
        batch_op.drop_column('theme')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('next_meeting_at')
        batch_op.drop_column('theme_step')
        batch_op.drop_column('themes')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('question')
        batch_op.drop_column('theme')

    op.drop_table('minutes')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_owner_id'))
        batch_op.drop_index(batch_op.f('ix_actions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_actions_group_id'))

    op.drop_table('actions')

