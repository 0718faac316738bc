"""Cluster Boards' rules (app/clusters/boards.py) and what the database holds of them (app/models/boards.py)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from app.clusters import boards
from app.common.errors import DomainError
from app.dashboard.small_counts import HIDDEN
from app.extensions import db
from app.models import (
    AdviceRequest,
    Allocation,
    AreaOfNeed,
    Budget,
    ImpactReview,
    NextStep,
    Outcome,
    Referral,
    ReferralStatus,
    SupportType,
)
from tests.factories import make_board_case, make_cluster, make_user, make_year

DUE = date(2026, 3, 31)


def outreach(referral: Referral, cost: int) -> Allocation:
    return boards.allocate(referral, SupportType.OUTREACH, cost, DUE, hours=10)


def reviewed(referral: Referral, support: SupportType, outcome: Outcome) -> ImpactReview:
    allocation = boards.allocate(referral, support, 100, DUE)
    return boards.record_review(allocation, outcome, NextStep.STOPPED, "", make_user())


def year_and_cluster():
    """A year and a cluster with a budget for it, for several cases to share."""
    year = make_year()
    cluster = make_cluster(year.programme)
    db.session.add(Budget(cluster=cluster, year=year, delegated_pounds=10_000))
    return year, cluster


def test_an_allocation_over_what_is_left_is_refused_with_the_amount_left(session):
    referral = make_board_case(budget_pounds=5000)
    outreach(referral, 3750)
    with pytest.raises(DomainError, match="^The cluster has £1,250 left this year: allocate that or less$") as refused:
        outreach(referral, 1251)
    assert refused.value.field == "cost_pounds"
    assert len(referral.allocations) == 1
    assert boards.budget_left(boards.budget_for(referral.cluster_id, referral.year_id)) == 1250


def test_an_allocation_of_exactly_what_is_left_is_accepted(session):
    referral = make_board_case(budget_pounds=5000)
    outreach(referral, 1000)
    allocation = outreach(referral, 4000)
    assert allocation.cost_pounds == 4000
    assert boards.budget_left(allocation.budget) == 0
    with pytest.raises(DomainError, match="has £0 left"):
        outreach(referral, 1)


def test_only_the_clusters_own_allocations_count_against_its_budget(session):
    year = make_year()
    ours, theirs = make_board_case(year, budget_pounds=2000), make_board_case(year, budget_pounds=2000)
    outreach(theirs, 1500)
    assert outreach(ours, 2000).budget.cluster_id == ours.cluster_id


def test_a_cluster_with_no_budget_for_the_year_cannot_allocate(session):
    referral = make_board_case(budget_pounds=None)
    with pytest.raises(DomainError, match="no budget for 2025/26"):
        outreach(referral, 0)


def test_a_case_cannot_be_referred_before_the_phase_group_has_advised(session):
    request = make_board_case(advised=False)
    with pytest.raises(DomainError, match="Ask the phase group for advice first"):
        boards.refer(request, "Outreach")
    boards.give_advice(request, "Try pre-teaching", make_user())
    assert boards.refer(request, "Outreach").advice_request is request


def test_support_is_not_allocated_to_a_case_whose_advice_was_not_given(session):
    request = make_board_case(advised=False)
    columns = {name: getattr(request, name) for name in ("school_id", "cluster_id", "year_id", "reference",
                                                         "year_group", "need", "support_level",
                                                         "at_risk_of_exclusion", "tried", "tried_months")}
    referral = Referral(advice_request=request, asks_for="Outreach", status=ReferralStatus.DECIDED,
                        decision="Outreach", decided_at=request.created_at, **columns)  # past the service's check
    db.session.add(referral)
    db.session.flush()
    with pytest.raises(DomainError, match="advice must be given before"):
        outreach(referral, 100)
    assert db.session.query(Allocation).filter_by(referral_id=referral.id).count() == 0


def test_an_impact_review_is_recorded_once(session):
    referral = make_board_case()
    allocation = outreach(referral, 500)
    review = boards.record_review(allocation, Outcome.PARTLY_MET, NextStep.CONTINUED, "Fewer incidents", make_user())
    assert (review.outcome, review.note, referral.status) == (Outcome.PARTLY_MET, "Fewer incidents",
                                                              ReferralStatus.REVIEWED)
    with pytest.raises(DomainError, match="already been reviewed"):
        boards.record_review(allocation, Outcome.MET, NextStep.STOPPED, "", make_user())
    with pytest.raises(IntegrityError, match="allocation_id|UNIQUE"):
        with db.session.begin_nested():
            db.session.execute(insert(ImpactReview).values(
                id=uuid.uuid4(), allocation_id=allocation.id, outcome=Outcome.MET, next_step=NextStep.STOPPED,
                note="", reviewed_at=review.reviewed_at, created_at=review.created_at, updated_at=review.created_at))


def test_a_referral_is_reviewed_only_when_all_its_support_is(session):
    referral = make_board_case()
    first, _second = outreach(referral, 100), outreach(referral, 100)
    boards.record_review(first, Outcome.MET, NextStep.STOPPED, "", make_user())
    assert referral.status is ReferralStatus.DECIDED


def test_support_is_allocated_only_after_the_boards_decision(session):
    request = make_board_case(advised=False)
    boards.give_advice(request, "Try pre-teaching", make_user())
    referral = boards.refer(request, "Outreach")
    with pytest.raises(DomainError, match="Record the board's decision before"):
        outreach(referral, 100)
    boards.record_decision(referral, "Outreach agreed", make_user())
    assert outreach(referral, 100).referral is referral


def test_text_that_could_identify_a_pupil_is_refused(session):
    request = make_board_case(advised=False)
    with pytest.raises(DomainError, match="unique pupil number") as refused:
        boards.give_advice(request, "For A123456789012 try a visual timetable", make_user())
    assert refused.value.field == "advice" and not request.is_answered


def test_every_way_the_text_could_identify_a_pupil_is_said_at_once(session):
    request = make_board_case(advised=False)
    with pytest.raises(DomainError) as refused:
        boards.give_advice(request, "A123456789012, DOB 12/03/2015: try a visual timetable", make_user())
    assert "unique pupil number" in refused.value.message and "date of birth" in refused.value.message


def test_what_works_hides_counts_that_could_give_away_fewer_than_three_reviews(session):
    year, cluster = year_and_cluster()
    for _ in range(3):
        reviewed(make_board_case(year, cluster=cluster), SupportType.OUTREACH, Outcome.MET)
    reviewed(make_board_case(year, cluster=cluster, need=AreaOfNeed.SEMH), SupportType.PSYCHOLOGIST, Outcome.NOT_MET)

    works = boards.what_works(cluster, year)
    assert works.count(Outcome.MET, SupportType.OUTREACH, AreaOfNeed.COMMUNICATION) == 3
    assert works.count(Outcome.NOT_MET, SupportType.PSYCHOLOGIST, AreaOfNeed.SEMH) is HIDDEN
    assert works.count(Outcome.NOT_MET, need=AreaOfNeed.SEMH) is HIDDEN
    # 3 of 4 reviews met needs would leave the one psychologist review's outcome to subtract
    assert works.count(Outcome.MET) is HIDDEN
    assert works.supports == [SupportType.OUTREACH, SupportType.PSYCHOLOGIST]
    assert works.needs == [AreaOfNeed.COMMUNICATION, AreaOfNeed.SEMH]


def test_what_works_shows_counts_of_three_or_more_in_every_view(session):
    year, cluster = year_and_cluster()
    for _ in range(3):
        reviewed(make_board_case(year, cluster=cluster), SupportType.OUTREACH, Outcome.MET)
        reviewed(make_board_case(year, cluster=cluster, need=AreaOfNeed.SEMH), SupportType.PSYCHOLOGIST,
                 Outcome.NOT_MET)
    reviewed(make_board_case(year), SupportType.OUTREACH, Outcome.PARTLY_MET)  # another cluster's: not counted

    works = boards.what_works(cluster, year)
    assert works.count(Outcome.MET) == 3 and works.count(Outcome.NOT_MET) == 3
    assert works.count(Outcome.NOT_MET, SupportType.PSYCHOLOGIST, AreaOfNeed.SEMH) == 3
    assert works.count(Outcome.PARTLY_MET) == 0


@pytest.mark.parametrize("model, column, value, constraint", [
    (Budget, "delegated_pounds", -1, "delegated_not_negative"),
    (Allocation, "cost_pounds", -1, "cost_not_negative"),
    (Allocation, "hours", 0, "hours_positive"),
    (AdviceRequest, "tried_months", -1, "tried_months_not_negative"),
    (AdviceRequest, "reference", "  ", "reference_given"),
    (Referral, "decision", None, "decision_recorded"),
])
def test_the_database_refuses_what_the_rules_refuse(session, model, column, value, constraint):
    referral = make_board_case()
    allocation = outreach(referral, 100)
    row = {Budget: allocation.budget, Allocation: allocation, AdviceRequest: referral.advice_request,
           Referral: referral}[model]
    with pytest.raises(IntegrityError, match=f"{constraint}|CHECK constraint failed"):
        with db.session.begin_nested():
            db.session.execute(update(model).where(model.id == row.id).values({column: value}))


def test_the_service_refuses_a_negative_cost_before_the_database_does(session):
    referral = make_board_case()
    with pytest.raises(DomainError, match="as 0 or more"):
        outreach(referral, -5)
