"""forms kept when a session ended before they were saved

Revision ID: c11c9a04a503
Revises: 41a80f5474bf
Create Date: 2026-12-03 09:16:33.627539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c11c9a04a503'
down_revision = '41a80f5474bf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_form',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kept_form_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_form')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_kept_form_key_hash'))
    )
    with op.batch_alter_table('kept_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_form_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_form_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('kept_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_form_user_id'))
        batch_op.drop_index(batch_op.f('ix_kept_form_expires_at'))

    op.drop_table('kept_form')
