"""Who granted each role, so a school can see who gave someone access to its work

Revision ID: 5b8d3e1f0a27
Revises: 8c1f2a9d7e40
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8d3e1f0a27'
down_revision = '8c1f2a9d7e40'
branch_labels = None
depends_on = None


def upgrade():
    # Existing roles keep NULL: the page says "Not recorded" for them.
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('granted_by_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_role_assignment_granted_by_id_user_account'), 'user_account',
                                    ['granted_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_assignment_granted_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('granted_by_id')
