"""assessment_rounds (a chair asks every home to assess itself) and assessments (each home's answers,
one row per assessment: a later one never overwrites an earlier one), forward_plans (a theme's
"Take the challenge" plan, its first step's action and its 3-month check)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assessment_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('opened_by', sa.String(length=32), nullable=False),
        sa.Column('opened_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('remind_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_assessment_rounds_group_id_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rounds')),
    )
    with op.batch_alter_table('assessment_rounds') as batch:
        batch.create_index(batch.f('ix_assessment_rounds_group_id'), ['group_id'], unique=False)
    op.create_table(
        'assessments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('home', sa.String(length=200), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('theme_set', sa.String(length=40), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('completed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_assessments_group_id_groups'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id'],
                                name=op.f('fk_assessments_round_id_assessment_rounds'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    )
    with op.batch_alter_table('assessments') as batch:
        batch.create_index(batch.f('ix_assessments_group_id'), ['group_id'], unique=False)
        batch.create_index(batch.f('ix_assessments_user_id'), ['user_id'], unique=False)
    op.create_table(
        'forward_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('theme', sa.String(length=200), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=True),
        sa.Column('check_on', sa.Date(), nullable=False),
        sa.Column('check_answer', sa.JSON(), nullable=True),
        sa.Column('checked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_forward_plans_action_id_actions'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                                name=op.f('fk_forward_plans_assessment_id_assessments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_forward_plans_group_id_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_forward_plans')),
    )
    with op.batch_alter_table('forward_plans') as batch:
        batch.create_index(batch.f('ix_forward_plans_group_id'), ['group_id'], unique=False)
        batch.create_index(batch.f('ix_forward_plans_assessment_id'), ['assessment_id'], unique=False)
        batch.create_index(batch.f('ix_forward_plans_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('forward_plans') as batch:
        batch.drop_index(batch.f('ix_forward_plans_user_id'))
        batch.drop_index(batch.f('ix_forward_plans_assessment_id'))
        batch.drop_index(batch.f('ix_forward_plans_group_id'))
    op.drop_table('forward_plans')
    with op.batch_alter_table('assessments') as batch:
        batch.drop_index(batch.f('ix_assessments_user_id'))
        batch.drop_index(batch.f('ix_assessments_group_id'))
    op.drop_table('assessments')
    with op.batch_alter_table('assessment_rounds') as batch:
        batch.drop_index(batch.f('ix_assessment_rounds_group_id'))
    op.drop_table('assessment_rounds')
