"""ended roles and when invitations were sent

Revision ID: c6db8eb062ed
Revises: 7abf6918f606
Create Date: 2026-12-03 13:08:10.446014

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6db8eb062ed'
down_revision = '7abf6918f606'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_role',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'programme_lead', 'qa_expert', 'head', 'senco', 'cluster_lead', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('school_id', sa.Uuid(), nullable=True),
    sa.Column('programme_id', sa.Uuid(), nullable=True),
    sa.Column('cluster_id', sa.Uuid(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Uuid(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_by_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.Enum('removed', 'replaced', 'moved', name='end_reason', native_enum=False, length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(role = 'admin' AND school_id IS NULL AND programme_id IS NULL AND cluster_id IS NULL) OR (role IN ('programme_lead', 'qa_expert') AND programme_id IS NOT NULL     AND school_id IS NULL AND cluster_id IS NULL) OR (role IN ('head', 'senco') AND school_id IS NOT NULL     AND programme_id IS NULL AND cluster_id IS NULL) OR (role = 'cluster_lead' AND cluster_id IS NOT NULL     AND school_id IS NULL AND programme_id IS NULL)", name=op.f('ck_ended_role_ended_scope_matches_role')),
    sa.CheckConstraint('ended_at >= granted_at', name=op.f('ck_ended_role_ended_after_granted')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_ended_role_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user_account.id'], name=op.f('fk_ended_role_ended_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_ended_role_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_ended_role_programme_id_programme')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_ended_role_school_id_school')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_ended_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ended_role'))
    )
    with op.batch_alter_table('ended_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_role_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ended_role_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ended_role_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ended_role_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ended_role_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('invited_at')

    with op.batch_alter_table('ended_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_role_user_id'))
        batch_op.drop_index(batch_op.f('ix_ended_role_school_id'))
        batch_op.drop_index(batch_op.f('ix_ended_role_programme_id'))
        batch_op.drop_index(batch_op.f('ix_ended_role_ended_at'))
        batch_op.drop_index(batch_op.f('ix_ended_role_cluster_id'))

    op.drop_table('ended_role')
