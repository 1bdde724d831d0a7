"""weekly check-ins and deliveries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('away_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('set_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_away_periods_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_away_periods')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_away_periods_group_id_user_id'))
    )
    op.create_table('checkin_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('at_time', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('paused', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('skipped_weeks', sa.JSON(), nullable=False),
    sa.Column('reminder_hours', sa.Integer(), server_default='24', nullable=False),
    sa.Column('digest_hours', sa.Integer(), server_default='48', nullable=False),
    sa.Column('active_from', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_checkin_schedules_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_schedules')),
    sa.UniqueConstraint('group_id', name=op.f('uq_checkin_schedules_group_id'))
    )
    op.create_table('checkin_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('opened_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminder_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('digest_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminders_planned', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('digest_planned', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('invited', sa.Integer(), nullable=True),
    sa.Column('answered', sa.Integer(), nullable=True),
    sa.Column('away', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_checkin_weeks_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_weeks')),
    sa.UniqueConstraint('group_id', 'week_start', name=op.f('uq_checkin_weeks_group_id_week_start'))
    )
    with op.batch_alter_table('checkin_weeks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_weeks_group_id'), ['group_id'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('ts', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=40), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_deliveries_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('kind', 'user_id', 'group_id', 'period', name=op.f('uq_deliveries_kind_user_id_group_id_period'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_status'), ['status'], unique=False)

    op.create_table('checkin_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['week_id'], ['checkin_weeks.id'], name=op.f('fk_checkin_answers_week_id_checkin_weeks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_answers')),
    sa.UniqueConstraint('week_id', 'user_id', name=op.f('uq_checkin_answers_week_id_user_id'))
    )
    with op.batch_alter_table('checkin_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_answers_week_id'), ['week_id'], unique=False)

    op.create_table('checkin_answer_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('view_id', sa.String(length=32), nullable=True),
    sa.Column('submitted_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['checkin_answers.id'], name=op.f('fk_checkin_answer_versions_answer_id_checkin_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_answer_versions')),
    sa.UniqueConstraint('answer_id', 'version', name=op.f('uq_checkin_answer_versions_answer_id_version'))
    )
    with op.batch_alter_table('checkin_answer_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_answer_versions_answer_id'), ['answer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('checkin_answer_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_answer_versions_answer_id'))

    op.drop_table('checkin_answer_versions')
    with op.batch_alter_table('checkin_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_answers_week_id'))

    op.drop_table('checkin_answers')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_status'))
        batch_op.drop_index(batch_op.f('ix_deliveries_group_id'))

    op.drop_table('deliveries')
    with op.batch_alter_table('checkin_weeks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_weeks_group_id'))

    op.drop_table('checkin_weeks')
    op.drop_table('checkin_schedules')
    op.drop_table('away_periods')
