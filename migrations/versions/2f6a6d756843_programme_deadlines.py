"""programme deadlines

Revision ID: 2f6a6d756843
Revises: c11c9a04a503
Create Date: 2026-12-03 09:51:57.868746

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2f6a6d756843'
down_revision = 'c11c9a04a503'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline',
    sa.Column('year_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('submitted', 'signed_off', 'plans_finalised', 'learnings', 'qa_visits', name='deadline_kind', native_enum=False, length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['year_id'], ['programme_year.id'], name=op.f('fk_deadline_year_id_programme_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline')),
    sa.UniqueConstraint('year_id', 'kind', name=op.f('uq_deadline_year_id_kind'))
    )
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_year_id'), ['year_id'], unique=False)


def downgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_year_id'))

    op.drop_table('deadline')
