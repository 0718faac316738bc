"""years that close and reopen, a programme's planned length, actions carried on from last year

Revision ID: 7abf6918f606
Revises: 257bbc9aee47
Create Date: 2026-12-03 13:07:26.987998

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7abf6918f606'
down_revision = '257bbc9aee47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_plan_action_carried_from_id_plan_action'), 'plan_action', ['carried_from_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_years', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_programme_planned_years_range'), 'planned_years BETWEEN 1 AND 10')

    with op.batch_alter_table('programme_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('reopen_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_programme_year_closed_by_id_user_account'), 'user_account', ['closed_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('programme_year', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_programme_year_closed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('reopen_reason')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_programme_planned_years_range'), type_='check')
        batch_op.drop_column('planned_years')

    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_action_carried_from_id_plan_action'), type_='foreignkey')
        batch_op.drop_column('carried_from_id')

