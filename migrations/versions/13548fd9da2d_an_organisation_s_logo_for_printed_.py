"""an organisation's logo for printed documents

Revision ID: 13548fd9da2d
Revises: c6db8eb062ed
Create Date: 2026-12-03 16:35:30.540447

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13548fd9da2d'
down_revision = 'c6db8eb062ed'
branch_labels = None
depends_on = None

TYPE_KNOWN = "logo_type IN ('', 'image/png', 'image/jpeg', 'image/svg+xml')"
HAS_TYPE = "(logo IS NULL) = (logo_type = '')"


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its checks in place; a batch would copy the table, which programmes
        # refer to, and fail on a database that has any.
        op.execute("ALTER TABLE organisation ADD COLUMN logo_name VARCHAR(200) DEFAULT '' NOT NULL")
        op.execute("ALTER TABLE organisation ADD COLUMN logo_type VARCHAR(100) DEFAULT '' NOT NULL "
                   f"CONSTRAINT ck_organisation_logo_type_known CHECK ({TYPE_KNOWN})")
        op.execute(f"ALTER TABLE organisation ADD COLUMN logo BLOB CONSTRAINT ck_organisation_logo_has_type "
                   f"CHECK ({HAS_TYPE})")
        return
    op.add_column('organisation', sa.Column('logo_name', sa.String(length=200), server_default='', nullable=False))
    op.add_column('organisation', sa.Column('logo_type', sa.String(length=100), server_default='', nullable=False))
    op.add_column('organisation', sa.Column('logo', sa.LargeBinary(), nullable=True))
    op.create_check_constraint(op.f('ck_organisation_logo_type_known'), 'organisation', TYPE_KNOWN)
    op.create_check_constraint(op.f('ck_organisation_logo_has_type'), 'organisation', HAS_TYPE)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for column in ("logo", "logo_type", "logo_name"):  # each column's check goes with it
            op.execute(f"ALTER TABLE organisation DROP COLUMN {column}")
        return
    op.drop_constraint(op.f('ck_organisation_logo_has_type'), 'organisation', type_='check')
    op.drop_constraint(op.f('ck_organisation_logo_type_known'), 'organisation', type_='check')
    op.drop_column('organisation', 'logo')
    op.drop_column('organisation', 'logo_type')
    op.drop_column('organisation', 'logo_name')
