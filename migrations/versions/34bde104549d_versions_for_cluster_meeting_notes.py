"""versions for cluster meeting notes

Revision ID: 34bde104549d
Revises: 3acc17d29cc3
Create Date: 2026-12-03 10:39:44.024833

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '34bde104549d'
down_revision = '3acc17d29cc3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cluster_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('cluster_meeting', schema=None) as batch_op:
        batch_op.drop_column('version')

