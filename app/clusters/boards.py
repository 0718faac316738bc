"""Cluster Boards' rules: a school asks the phase group for advice about a case, refers it to the board once
the advice is given, the board allocates support within the cluster's budget for the year, the school
reviews the impact, and the reviews add up to what works (small counts held back, as on the dashboard).

Cases are anonymised: the free text a school writes is refused when it looks like it identifies a pupil
(app/common/anonymised.py). Money is whole pounds."""
from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.common import clock
from app.common.anonymised import identifying_message
from app.common.errors import DomainError, checked_together
from app.dashboard.small_counts import ANY, Hidden, Shown, Views, disclose
from app.extensions import db
from app.models import (
    AdviceRequest,
    Allocation,
    AreaOfNeed,
    Budget,
    Cluster,
    ImpactReview,
    NextStep,
    Outcome,
    ProgrammeYear,
    Referral,
    ReferralStatus,
    School,
    SupportLevel,
    SupportType,
    User,
    YearGroup,
)
from app.models.boards import REFERENCE_LENGTH

# --- Cases, anonymised -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseProfile:
    """A case as the school describes it: its own reference and the anonymised profile."""

    reference: str
    year_group: YearGroup
    need: AreaOfNeed
    support_level: SupportLevel
    at_risk_of_exclusion: bool
    tried: str
    tried_months: int


def anonymised(text: str, field: str) -> str:
    """The text, stripped, or a DomainError saying every way it looks like it identifies a pupil."""
    text = (text or "").strip()
    message = identifying_message(text)
    if message:
        raise DomainError(message, field=field)
    return text


def _required(text: str, field: str, missing: str) -> str:
    text = anonymised(text, field)
    if not text:
        raise DomainError(missing, field=field)
    return text


def _reference(text: str) -> str:
    reference = _required(" ".join((text or "").split()), "reference", "Enter the reference your school keeps for "
                                                                       "this case")
    if len(reference) > REFERENCE_LENGTH:
        raise DomainError(f"The reference must be {REFERENCE_LENGTH} characters or fewer", field="reference")
    return reference


def _months(months: int) -> int:
    if months < 0:
        raise DomainError("Enter how many months it has been tried, as 0 or more", field="tried_months")
    return months


def _checked_profile(profile: CaseProfile) -> dict[str, object]:
    """The profile's columns, every problem with it raised together."""
    reference, tried, months = checked_together(
        lambda: _reference(profile.reference),
        lambda: _required(profile.tried, "tried", "Enter what has been tried at SEN support"),
        lambda: _months(profile.tried_months),
    )
    return {"reference": reference, "year_group": profile.year_group, "need": profile.need,
            "support_level": profile.support_level, "at_risk_of_exclusion": profile.at_risk_of_exclusion,
            "tried": tried, "tried_months": months}


def ask_for_advice(school: School, cluster: Cluster, year: ProgrammeYear, profile: CaseProfile) -> AdviceRequest:
    """A school's request for the phase cluster SENCo group's advice about a case."""
    year.require_open("advice can no longer be asked for")
    request = AdviceRequest(school=school, cluster=cluster, year=year, **_checked_profile(profile))
    db.session.add(request)
    db.session.flush()
    return request


def give_advice(request: AdviceRequest, advice: str, by: User) -> None:
    """The phase group's advice, given once."""
    if request.is_answered:
        raise DomainError("The group has already given its advice on this case")
    request.advice = _required(advice, "advice", "Enter the group's advice")
    request.advised_by = by
    request.advised_at = clock.now()


def refer(request: AdviceRequest, asks_for: str, profile: CaseProfile | None = None) -> Referral:
    """Refer a case to the Cluster Board: only once the phase group has given its advice. The profile is the
    advice request's unless the school gives it again (needs change)."""
    if not request.is_answered:
        raise DomainError("Ask the phase group for advice first: a case goes to the board only after advice")
    request.year.require_open("cases can no longer be referred")
    columns, asked = checked_together(
        lambda: _checked_profile(profile or _profile_of(request)),
        lambda: _required(asks_for, "asks_for", "Enter what your school is asking the board for"),
    )
    referral = Referral(school_id=request.school_id, cluster_id=request.cluster_id, year_id=request.year_id,
                        advice_request=request, asks_for=asked, **columns)
    db.session.add(referral)
    db.session.flush()
    return referral


def _profile_of(case: AdviceRequest | Referral) -> CaseProfile:
    return CaseProfile(case.reference, case.year_group, case.need, case.support_level, case.at_risk_of_exclusion,
                       case.tried, case.tried_months)


def record_decision(referral: Referral, decision: str, by: User) -> None:
    """The board's decision on a referral (the support it allocates is recorded with `allocate`)."""
    if referral.status is not ReferralStatus.SUBMITTED:
        raise DomainError("The board has already decided this referral")
    referral.decision = _required(decision, "decision", "Enter the board's decision")
    referral.decided_by = by
    referral.decided_at = clock.now()
    referral.status = ReferralStatus.DECIDED


# --- The budget and what it pays for --------------------------------------------------------------


def budget_for(cluster_id: uuid.UUID, year_id: uuid.UUID, for_update: bool = False) -> Budget | None:
    """A cluster's budget for a year, if it has one (locked for the transaction `for_update`)."""
    query = select(Budget).where(Budget.cluster_id == cluster_id, Budget.year_id == year_id)
    return db.session.scalar(query.with_for_update() if for_update else query)


def budget_left(budget: Budget) -> int:
    """The pounds of the budget not yet allocated (never below 0 unless the delegated amount was cut)."""
    allocated = db.session.scalar(select(func.coalesce(func.sum(Allocation.cost_pounds), 0))
                                  .where(Allocation.budget_id == budget.id))
    return budget.delegated_pounds - int(allocated or 0)


def _cost(cost_pounds: int, left: int) -> int:
    if cost_pounds < 0:
        raise DomainError("Enter the cost in pounds, as 0 or more", field="cost_pounds")
    if cost_pounds > left:
        raise DomainError(f"The cluster has £{max(left, 0):,} left this year: allocate that or less",
                          field="cost_pounds")
    return cost_pounds


def _hours(hours: int | None) -> int | None:
    if hours is not None and hours <= 0:
        raise DomainError("Enter the hours as a whole number more than 0, or leave it blank", field="hours")
    return hours


def allocate(referral: Referral, support: SupportType, cost_pounds: int, review_due_on: date | None,
             hours: int | None = None) -> Allocation:
    """Support from the cluster's offer for a referred case the board has decided on, against the cluster's
    budget for the year; refused when it costs more than is left. The budget's row is locked while the sum
    is checked, so two board members allocating at once cannot both spend the last of it."""
    if not referral.advice_request.is_answered:
        raise DomainError("The phase group's advice must be given before the board allocates support")
    if referral.status is ReferralStatus.SUBMITTED:
        raise DomainError("Record the board's decision before allocating support")
    referral.year.require_open("support can no longer be allocated")
    budget = budget_for(referral.cluster_id, referral.year_id, for_update=True)
    if budget is None:
        raise DomainError(f"The cluster has no budget for {referral.year.label}: set its delegated funding first")
    left = budget_left(budget)
    cost, hours, due = checked_together(lambda: _cost(cost_pounds, left), lambda: _hours(hours),
                                        lambda: _due(review_due_on))
    allocation = Allocation(referral=referral, budget=budget, support=support, hours=hours, cost_pounds=cost,
                            review_due_on=due)
    db.session.add(allocation)
    db.session.flush()
    return allocation


def _due(review_due_on: date | None) -> date:
    if review_due_on is None:
        raise DomainError("Enter the date the impact review is due", field="review_due_on")
    return review_due_on


# --- Impact, and what works -----------------------------------------------------------------------


def record_review(allocation: Allocation, outcome: Outcome, next_step: NextStep, note: str, by: User) -> ImpactReview:
    """The school's review of the support's impact, recorded once. When every allocation of the referral
    has been reviewed, the referral is reviewed."""
    if allocation.review is not None:
        raise DomainError("The impact of this support has already been reviewed")
    review = ImpactReview(allocation=allocation, outcome=outcome, next_step=next_step,
                          note=anonymised(note, "note"), reviewed_by=by, reviewed_at=clock.now())
    db.session.add(review)
    db.session.flush()
    referral = allocation.referral
    if all(each.review is not None for each in referral.allocations):
        referral.status = ReferralStatus.REVIEWED
    return review


@dataclass(frozen=True)
class WhatWorks:
    """How many impact reviews said met, partly met or not met, by support type and area of need (and across
    either or both); a count that could give away fewer than 3 reviews is HIDDEN."""

    supports: list[SupportType]
    needs: list[AreaOfNeed]
    shown: Shown

    def count(self, outcome: Outcome, support: SupportType | None = None,
              need: AreaOfNeed | None = None) -> int | Hidden:
        view = (support.value if support else ANY, need.value if need else ANY)
        return self.shown.value((outcome.value,), view)


def what_works(cluster: Cluster, year: ProgrammeYear) -> WhatWorks:
    """The cluster's impact reviews for the year, counted by support type and area of need. The counts are
    held back as the dashboard holds back counts of schools (app/dashboard/small_counts.py): each review
    sits in a place (its support type, its referral's area of need), the views are every support type, every
    area and both, and each row of outcomes adds up to a total the reader may know."""
    rows = db.session.execute(
        select(ImpactReview.id, ImpactReview.outcome, Allocation.support, Referral.need)
        .join(ImpactReview.allocation).join(Allocation.referral)
        .where(Referral.cluster_id == cluster.id, Referral.year_id == year.id))
    places: dict[Hashable, tuple[str, str]] = {}
    figures: dict[tuple, dict] = {(outcome.value,): {} for outcome in Outcome}
    for review_id, outcome, support, need in rows:
        places[review_id] = (support.value, need.value)
        figures[(outcome.value,)][review_id] = 1
    shown = disclose(Views(places), figures, [list(figures)])
    return WhatWorks(supports=[s for s in SupportType if any(p[0] == s.value for p in places.values())],
                     needs=[n for n in AreaOfNeed if any(p[1] == n.value for p in places.values())], shown=shown)

