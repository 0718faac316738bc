"""Sessions the server remembers (signing out ends them) and password-reset requests (limited)

Revision ID: 8c1f2a9d7e40
Revises: 2411c6b10514
Create Date: 2026-12-02 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8c1f2a9d7e40'
down_revision = '2411c6b10514'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('password_reset_request',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request'))
    )
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_request_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_request_remote_addr'), ['remote_addr'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_request_requested_at'), ['requested_at'], unique=False)


def downgrade():
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_request_requested_at'))
        batch_op.drop_index(batch_op.f('ix_password_reset_request_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_password_reset_request_email'))
    op.drop_table('password_reset_request')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
