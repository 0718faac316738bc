"""drafts of forms whose saving is a step, kept for their writer

Revision ID: 257bbc9aee47
Revises: 34bde104549d
Create Date: 2026-12-03 12:44:01.665673

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '257bbc9aee47'
down_revision = '34bde104549d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_draft',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_draft_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_draft')),
    sa.UniqueConstraint('user_id', 'path', name=op.f('uq_form_draft_user_id_path'))
    )
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_draft_saved_at'), ['saved_at'], unique=False)



def downgrade():
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_draft_saved_at'))

    op.drop_table('form_draft')
