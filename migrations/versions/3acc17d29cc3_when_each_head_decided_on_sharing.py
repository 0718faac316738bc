"""when each head decided on sharing

Revision ID: 3acc17d29cc3
Revises: 7cc63a99595c
Create Date: 2026-12-03 10:29:31.915790

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3acc17d29cc3'
down_revision = '7cc63a99595c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sharing_decided_at', sa.DateTime(timezone=True), nullable=True))
    # A head who shares has decided; one who has not may not have been asked yet.
    op.execute("UPDATE enrolment SET sharing_decided_at = updated_at WHERE shared_with_lead")


def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_column('sharing_decided_at')

