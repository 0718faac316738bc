"""Versions for autosaved notes: actions, meeting and visit notes, key learnings, moderation and request
answers each count the saves of their form, so two people editing one lose nothing.

Revision ID: 7cc63a99595c
Revises: 2f6a6d756843
Create Date: 2026-12-03 10:03:14.669435

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7cc63a99595c'
down_revision = '2f6a6d756843'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learning', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('peer_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('qa_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('request_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('triad_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('triad_meeting', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('request_recipient', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('qa_visit', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('peer_visit', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('learning', schema=None) as batch_op:
        batch_op.drop_column('version')

