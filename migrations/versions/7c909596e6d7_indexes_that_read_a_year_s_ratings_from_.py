"""Indexes that read a year's ratings from the index alone

Revision ID: 7c909596e6d7
Revises: 5b8d3e1f0a27
Create Date: 2026-12-02 13:56:05.351796

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c909596e6d7'
down_revision = '5b8d3e1f0a27'
branch_labels = None
depends_on = None


INDEXES = {  # name: (table, columns)
    'ix_area_rating_self_evaluation_id_area_id_level': ('area_rating', ['self_evaluation_id', 'area_id', 'level']),
    'ix_moderated_rating_qa_visit_id_area_id_level': ('moderated_rating', ['qa_visit_id', 'area_id', 'level']),
}


def upgrade():
    # The locality dashboard reads a year's ratings by self-evaluation (and by QA visit): with the area and
    # the level in the index, PostgreSQL reads them from the index alone once the table has been vacuumed.
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, (table, _) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
