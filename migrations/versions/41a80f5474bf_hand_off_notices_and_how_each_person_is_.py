"""hand-off notices and how each person is told

Revision ID: 41a80f5474bf
Revises: 7c909596e6d7
Create Date: 2026-12-03 08:57:11.722347

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '41a80f5474bf'
down_revision = '7c909596e6d7'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('notice',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('submitted', 'signed_off', 'reopened', 'flagged', 'flag_response', 'plan_finalised', 'learnings_returned', 'request_sent', 'visit_notes', 'person_added', name='notice_kind', native_enum=False, length=20), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('sent_by', sa.String(length=250), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notice_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notice_dedupe_key'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_emailed_at'), ['emailed_at'], unique=False)
        batch_op.create_index('ix_notice_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notice_user_unread', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_frequency', sa.Enum('immediate', 'daily', name='notice_frequency', native_enum=False, length=20), server_default='immediate', nullable=False))




def downgrade():

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('notice_frequency')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_user_unread')
        batch_op.drop_index('ix_notice_user_created')
        batch_op.drop_index(batch_op.f('ix_notice_emailed_at'))

    op.drop_table('notice')

