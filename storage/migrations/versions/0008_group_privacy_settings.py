"""groups: privacy settings (a check-in summary in the channel; names on feedback in the minutes)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both off: the narrow default (nothing of the check-in in the channel; feedback without names).
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_share_channel', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('minutes_name_feedback', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('minutes_name_feedback')
        batch_op.drop_column('checkin_share_channel')
