"""Cluster Boards: budgets, advice requests, referrals, allocations, impact reviews

Revision ID: d4f7a3775589
Revises: 13548fd9da2d
Create Date: 2026-12-03 18:14:00.882268

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f7a3775589'
down_revision = '13548fd9da2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_budget',
    sa.Column('cluster_id', sa.Uuid(), nullable=False),
    sa.Column('year_id', sa.Uuid(), nullable=False),
    sa.Column('delegated_pounds', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('delegated_pounds >= 0', name=op.f('ck_board_budget_delegated_not_negative')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_board_budget_cluster_id_cluster'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['year_id'], ['programme_year.id'], name=op.f('fk_board_budget_year_id_programme_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_budget')),
    sa.UniqueConstraint('cluster_id', 'year_id', name=op.f('uq_board_budget_cluster_id_year_id'))
    )
    with op.batch_alter_table('board_budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_budget_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_budget_year_id'), ['year_id'], unique=False)

    op.create_table('cluster_board',
    sa.Column('cluster_id', sa.Uuid(), nullable=False),
    sa.Column('chair_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['user_account.id'], name=op.f('fk_cluster_board_chair_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_cluster_board_cluster_id_cluster'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_board')),
    sa.UniqueConstraint('cluster_id', name=op.f('uq_cluster_board_cluster_id'))
    )
    op.create_table('advice_request',
    sa.Column('advice', sa.Text(), nullable=True),
    sa.Column('advised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('advised_by_id', sa.Uuid(), nullable=True),
    sa.Column('school_id', sa.Uuid(), nullable=False),
    sa.Column('cluster_id', sa.Uuid(), nullable=False),
    sa.Column('year_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('year_group', sa.Enum('reception', 'year_1', 'year_2', 'year_3', 'year_4', 'year_5', 'year_6', 'year_7', 'year_8', 'year_9', 'year_10', 'year_11', 'year_12', 'year_13', 'year_14', name='year_group', native_enum=False, length=20), nullable=False),
    sa.Column('need', sa.Enum('communication', 'cognition', 'semh', 'sensory_physical', name='area_of_need', native_enum=False, length=20), nullable=False),
    sa.Column('support_level', sa.Enum('sen_support', 'ehc_plan', name='support_level', native_enum=False, length=20), nullable=False),
    sa.Column('at_risk_of_exclusion', sa.Boolean(), nullable=False),
    sa.Column('tried', sa.Text(), nullable=False),
    sa.Column('tried_months', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(advice IS NULL) = (advised_at IS NULL)', name=op.f('ck_advice_request_advice_has_time')),
    sa.CheckConstraint('length(trim(reference)) > 0', name=op.f('ck_advice_request_reference_given')),
    sa.CheckConstraint('tried_months >= 0', name=op.f('ck_advice_request_tried_months_not_negative')),
    sa.ForeignKeyConstraint(['advised_by_id'], ['user_account.id'], name=op.f('fk_advice_request_advised_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_advice_request_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_advice_request_school_id_school')),
    sa.ForeignKeyConstraint(['year_id', 'school_id'], ['enrolment.year_id', 'enrolment.school_id'], name=op.f('fk_advice_request_year_id_school_id_enrolment')),
    sa.ForeignKeyConstraint(['year_id'], ['programme_year.id'], name=op.f('fk_advice_request_year_id_programme_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_request')),
    sa.UniqueConstraint('id', 'school_id', name=op.f('uq_advice_request_id_school_id'))
    )
    with op.batch_alter_table('advice_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_request_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_request_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_request_year_id'), ['year_id'], unique=False)

    op.create_table('cluster_board_member',
    sa.Column('board_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('lead_head', 'lead_senco', 'la_officer', name='board_member_kind', native_enum=False, length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['cluster_board.id'], name=op.f('fk_cluster_board_member_board_id_cluster_board'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_cluster_board_member_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_board_member')),
    sa.UniqueConstraint('board_id', 'user_id', name=op.f('uq_cluster_board_member_board_id_user_id'))
    )
    with op.batch_alter_table('cluster_board_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_board_member_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_board_member_user_id'), ['user_id'], unique=False)

    op.create_table('referral',
    sa.Column('advice_request_id', sa.Uuid(), nullable=False),
    sa.Column('asks_for', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'decided', 'reviewed', name='referral_status', native_enum=False, length=20), nullable=False),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('school_id', sa.Uuid(), nullable=False),
    sa.Column('cluster_id', sa.Uuid(), nullable=False),
    sa.Column('year_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('year_group', sa.Enum('reception', 'year_1', 'year_2', 'year_3', 'year_4', 'year_5', 'year_6', 'year_7', 'year_8', 'year_9', 'year_10', 'year_11', 'year_12', 'year_13', 'year_14', name='year_group', native_enum=False, length=20), nullable=False),
    sa.Column('need', sa.Enum('communication', 'cognition', 'semh', 'sensory_physical', name='area_of_need', native_enum=False, length=20), nullable=False),
    sa.Column('support_level', sa.Enum('sen_support', 'ehc_plan', name='support_level', native_enum=False, length=20), nullable=False),
    sa.Column('at_risk_of_exclusion', sa.Boolean(), nullable=False),
    sa.Column('tried', sa.Text(), nullable=False),
    sa.Column('tried_months', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status = 'submitted' OR (decision IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_referral_decision_recorded')),
    sa.CheckConstraint('length(trim(reference)) > 0', name=op.f('ck_referral_reference_given')),
    sa.CheckConstraint('tried_months >= 0', name=op.f('ck_referral_tried_months_not_negative')),
    sa.ForeignKeyConstraint(['advice_request_id', 'school_id'], ['advice_request.id', 'advice_request.school_id'], name=op.f('fk_referral_advice_request_id_school_id_advice_request')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_referral_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_referral_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_referral_school_id_school')),
    sa.ForeignKeyConstraint(['year_id', 'school_id'], ['enrolment.year_id', 'enrolment.school_id'], name=op.f('fk_referral_year_id_school_id_enrolment')),
    sa.ForeignKeyConstraint(['year_id'], ['programme_year.id'], name=op.f('fk_referral_year_id_programme_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_advice_request_id'), ['advice_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_year_id'), ['year_id'], unique=False)

    op.create_table('allocation',
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('budget_id', sa.Uuid(), nullable=False),
    sa.Column('support', sa.Enum('outreach', 'specialist_teacher', 'psychologist', 'training_place', 'funding', name='support_type', native_enum=False, length=20), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=True),
    sa.Column('cost_pounds', sa.Integer(), nullable=False),
    sa.Column('review_due_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cost_pounds >= 0', name=op.f('ck_allocation_cost_not_negative')),
    sa.CheckConstraint('hours IS NULL OR hours > 0', name=op.f('ck_allocation_hours_positive')),
    sa.ForeignKeyConstraint(['budget_id'], ['board_budget.id'], name=op.f('fk_allocation_budget_id_board_budget')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_allocation_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_referral_id'), ['referral_id'], unique=False)

    op.create_table('impact_review',
    sa.Column('allocation_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.Enum('met', 'partly_met', 'not_met', name='impact_outcome', native_enum=False, length=20), nullable=False),
    sa.Column('next_step', sa.Enum('continued', 'stopped', 'ehc_assessment', name='impact_next_step', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['allocation.id'], name=op.f('fk_impact_review_allocation_id_allocation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_impact_review_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_review')),
    sa.UniqueConstraint('allocation_id', name=op.f('uq_impact_review_allocation_id'))
    )


def downgrade():
    op.drop_table('impact_review')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_referral_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_budget_id'))

    op.drop_table('allocation')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_year_id'))
        batch_op.drop_index(batch_op.f('ix_referral_school_id'))
        batch_op.drop_index(batch_op.f('ix_referral_cluster_id'))
        batch_op.drop_index(batch_op.f('ix_referral_advice_request_id'))

    op.drop_table('referral')
    with op.batch_alter_table('cluster_board_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_board_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_cluster_board_member_board_id'))

    op.drop_table('cluster_board_member')
    with op.batch_alter_table('advice_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_request_year_id'))
        batch_op.drop_index(batch_op.f('ix_advice_request_school_id'))
        batch_op.drop_index(batch_op.f('ix_advice_request_cluster_id'))

    op.drop_table('advice_request')
    op.drop_table('cluster_board')
    with op.batch_alter_table('board_budget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_budget_year_id'))
        batch_op.drop_index(batch_op.f('ix_board_budget_cluster_id'))

    op.drop_table('board_budget')
