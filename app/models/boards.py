"""Cluster Boards (the South Gloucestershire model): a school asks its phase cluster SENCo group for advice
about a case, may then refer it to the cluster's board, and the board allocates support from the cluster's
delegated High Needs budget; each allocation's impact is reviewed by an agreed date.

No pupil-identifiable data is held: a case is the reference the school keeps against its own records and
an anonymised profile (year group, primary area of need, SEN support or EHC plan, ...). There is no field
for a name, and the free text is checked by app/common/anonymised.py before it is stored.

Money is whole pounds (integers): the budget's delegated funding and each allocation's cost.
"""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, stored_enum

if TYPE_CHECKING:
    from app.models.programme import Cluster, ProgrammeYear
    from app.models.school import School
    from app.models.user import User

REFERENCE_LENGTH = 40


class _Labelled(enum.StrEnum):
    """An enum whose members are written for people in LABELS (below)."""

    @property
    def label(self) -> str:
        return LABELS[type(self)][self.value]


class BoardMemberKind(_Labelled):
    LEAD_HEAD = "lead_head"
    LEAD_SENCO = "lead_senco"
    LA_OFFICER = "la_officer"


class YearGroup(_Labelled):
    RECEPTION = "reception"
    YEAR_1 = "year_1"
    YEAR_2 = "year_2"
    YEAR_3 = "year_3"
    YEAR_4 = "year_4"
    YEAR_5 = "year_5"
    YEAR_6 = "year_6"
    YEAR_7 = "year_7"
    YEAR_8 = "year_8"
    YEAR_9 = "year_9"
    YEAR_10 = "year_10"
    YEAR_11 = "year_11"
    YEAR_12 = "year_12"
    YEAR_13 = "year_13"
    YEAR_14 = "year_14"


class AreaOfNeed(_Labelled):
    """The four broad areas of need of the SEND Code of Practice (2015, paragraphs 6.28 to 6.35)."""

    COMMUNICATION = "communication"
    COGNITION = "cognition"
    SEMH = "semh"
    SENSORY_PHYSICAL = "sensory_physical"


class SupportLevel(_Labelled):
    SEN_SUPPORT = "sen_support"
    EHC_PLAN = "ehc_plan"


class ReferralStatus(_Labelled):
    SUBMITTED = "submitted"
    DECIDED = "decided"
    REVIEWED = "reviewed"


class SupportType(_Labelled):
    """What a board can allocate from the cluster's offer."""

    OUTREACH = "outreach"
    SPECIALIST_TEACHER = "specialist_teacher"
    PSYCHOLOGIST = "psychologist"
    TRAINING_PLACE = "training_place"
    FUNDING = "funding"


class Outcome(_Labelled):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


class NextStep(_Labelled):
    CONTINUED = "continued"
    STOPPED = "stopped"
    EHC_ASSESSMENT = "ehc_assessment"


# By enum, as the values of two enums could one day be the same text.
LABELS: dict[type[_Labelled], dict[str, str]] = {
    BoardMemberKind: {"lead_head": "Lead headteacher", "lead_senco": "Lead SENCo",
                      "la_officer": "Local authority officer"},
    YearGroup: {"reception": "Reception", **{f"year_{n}": f"Year {n}" for n in range(1, 15)}},
    AreaOfNeed: {"communication": "Communication and interaction", "cognition": "Cognition and learning",
                 "semh": "Social, emotional and mental health", "sensory_physical": "Sensory and/or physical"},
    SupportLevel: {"sen_support": "SEN support", "ehc_plan": "EHC plan"},
    ReferralStatus: {"submitted": "Submitted", "decided": "Decided", "reviewed": "Reviewed"},
    SupportType: {"outreach": "Outreach", "specialist_teacher": "Specialist teacher time",
                  "psychologist": "Educational psychologist time", "training_place": "Training place",
                  "funding": "Funding"},
    Outcome: {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"},
    NextStep: {"continued": "Continued", "stopped": "Stopped", "ehc_assessment": "EHC needs assessment requested"},
}


class ClusterBoard(UUIDPrimaryKey, Timestamps, Model):
    """A cluster's board (one per cluster): its chair and members. It meets like the cluster does."""

    __tablename__ = "cluster_board"

    cluster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"), unique=True)
    chair_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    cluster: Mapped["Cluster"] = relationship()
    chair: Mapped["User | None"] = relationship()
    members: Mapped[list[ClusterBoardMember]] = relationship(back_populates="board", cascade="all, delete-orphan")


class ClusterBoardMember(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "cluster_board_member"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)

    board_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster_board.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BoardMemberKind] = mapped_column(stored_enum(BoardMemberKind, "board_member_kind"))
    board: Mapped[ClusterBoard] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()


class Budget(UUIDPrimaryKey, Timestamps, Model):
    """The High Needs funding delegated to a cluster for an academic year, in whole pounds."""

    __tablename__ = "board_budget"
    __table_args__ = (
        UniqueConstraint("cluster_id", "year_id"),
        CheckConstraint("delegated_pounds >= 0", name="delegated_not_negative"),
    )

    cluster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    delegated_pounds: Mapped[int] = mapped_column(Integer)
    cluster: Mapped["Cluster"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="budget")


def _profile_constraints() -> tuple[Any, ...]:
    """What the database holds of every case: a reference given, months tried not negative, the school
    enrolled in the year."""
    return (
        CheckConstraint("length(trim(reference)) > 0", name="reference_given"),
        CheckConstraint("tried_months >= 0", name="tried_months_not_negative"),
        ForeignKeyConstraint(["year_id", "school_id"], ["enrolment.year_id", "enrolment.school_id"]),
    )


class _CaseProfile:
    """A case as a school describes it, anonymised: the school's own reference and the profile."""

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    cluster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster.id"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    # The reference the school keeps against its own records (never a name or a pupil number).
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    year_group: Mapped[YearGroup] = mapped_column(stored_enum(YearGroup, "year_group"))
    need: Mapped[AreaOfNeed] = mapped_column(stored_enum(AreaOfNeed, "area_of_need"))
    support_level: Mapped[SupportLevel] = mapped_column(stored_enum(SupportLevel, "support_level"))
    at_risk_of_exclusion: Mapped[bool] = mapped_column(Boolean)
    # What has been tried at SEN support (assess, plan, do, review) and for how many months.
    tried: Mapped[str] = mapped_column(Text)
    tried_months: Mapped[int] = mapped_column(Integer)


class AdviceRequest(_CaseProfile, UUIDPrimaryKey, Timestamps, Model):
    """A school asking its phase cluster SENCo group for advice about a case, and the group's advice."""

    __tablename__ = "advice_request"
    __table_args__ = (
        *_profile_constraints(),
        UniqueConstraint("id", "school_id"),  # so a referral can hold its school's own advice (below)
        CheckConstraint("(advice IS NULL) = (advised_at IS NULL)", name="advice_has_time"),
    )

    advice: Mapped[str | None] = mapped_column(Text)
    advised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    advised_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    school: Mapped["School"] = relationship()
    cluster: Mapped["Cluster"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    advised_by: Mapped["User | None"] = relationship()

    @property
    def is_answered(self) -> bool:
        return self.advised_at is not None


class Referral(_CaseProfile, UUIDPrimaryKey, Timestamps, Model):
    """A case referred to the Cluster Board, after the phase group's advice, and the board's decision."""

    __tablename__ = "referral"
    __table_args__ = (
        *_profile_constraints(),
        ForeignKeyConstraint(["advice_request_id", "school_id"], ["advice_request.id", "advice_request.school_id"]),
        CheckConstraint("status = 'submitted' OR (decision IS NOT NULL AND decided_at IS NOT NULL)",
                        name="decision_recorded"),
    )

    # The advice given first (the service refuses a referral until the group has answered).
    advice_request_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # What the school asks the board for.
    asks_for: Mapped[str] = mapped_column(Text)
    status: Mapped[ReferralStatus] = mapped_column(stored_enum(ReferralStatus, "referral_status"),
                                                   default=ReferralStatus.SUBMITTED)
    decision: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    school: Mapped["School"] = relationship()
    cluster: Mapped["Cluster"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    # Written through advice_request_id only: the school is the referral's own (the composite key holds them equal).
    advice_request: Mapped[AdviceRequest] = relationship(
        primaryjoin="foreign(Referral.advice_request_id) == AdviceRequest.id")
    decided_by: Mapped["User | None"] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="referral", cascade="all, delete-orphan",
                                                         order_by="Allocation.created_at")


class Allocation(UUIDPrimaryKey, Timestamps, Model):
    """Support a board's decision allocates from the cluster's offer, costed against its budget."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("cost_pounds >= 0", name="cost_not_negative"),
        CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("board_budget.id"), index=True)
    support: Mapped[SupportType] = mapped_column(stored_enum(SupportType, "support_type"))
    # Hours of someone's time (outreach, a specialist teacher, an educational psychologist); None otherwise.
    hours: Mapped[int | None] = mapped_column(Integer)
    cost_pounds: Mapped[int] = mapped_column(Integer)
    review_due_on: Mapped[date] = mapped_column(Date)
    referral: Mapped[Referral] = relationship(back_populates="allocations")
    budget: Mapped[Budget] = relationship(back_populates="allocations")
    review: Mapped[ImpactReview | None] = relationship(back_populates="allocation", cascade="all, delete-orphan")


class ImpactReview(UUIDPrimaryKey, Timestamps, Model):
    """The school's review of an allocation's impact: one per allocation."""

    __tablename__ = "impact_review"

    allocation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("allocation.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(stored_enum(Outcome, "impact_outcome"))
    next_step: Mapped[NextStep] = mapped_column(stored_enum(NextStep, "impact_next_step"))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    allocation: Mapped[Allocation] = relationship(back_populates="review")
    reviewed_by: Mapped["User | None"] = relationship()
