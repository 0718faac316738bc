"""The rules table: for each permission, the question asked of the user and the record a view is
about, and those questions (who leads a programme, who is a school's staff, who may read its work).
BELONGS says how two records named by one URL belong together. app.permissions applies them."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    ActionPlan,
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    Enrolment,
    EvaluationStatus,
    InformationRequest,
    Learning,
    PeerVisit,
    PreparedPack,
    Programme,
    ProgrammeYear,
    QAVisit,
    Role,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)

PUBLIC = "public"
SIGNED_IN = "signed_in"


def _programme_ids(user: User, *roles: Role) -> set[uuid.UUID]:
    return {r.programme_id for r in user.roles if r.role in roles and r.programme_id}


def staff_school_ids(user: User) -> set[uuid.UUID]:
    """The schools the user is a head or SENCo of."""
    return {r.school_id for r in user.roles if r.role in (Role.HEAD, Role.SENCO) and r.school_id}



def _programme_of(obj: Any) -> uuid.UUID | None:
    if isinstance(obj, Programme):
        return obj.id
    if isinstance(obj, ProgrammeYear):
        return obj.programme_id
    if isinstance(obj, Triad):
        return obj.year.programme_id
    if isinstance(obj, TriadMeeting | PeerVisit):
        return obj.triad.year.programme_id
    if isinstance(obj, Cluster):
        return obj.programme_id
    if isinstance(obj, ClusterMeeting):
        return obj.cluster.programme_id
    if isinstance(obj, CelebrationSubmission):
        return obj.triad.year.programme_id
    if isinstance(obj, Learning):
        return obj.submission.triad.year.programme_id
    if isinstance(obj, PreparedPack):
        return obj.year.programme_id
    return None


def _school_in_programmes(school: School, programme_ids: set[uuid.UUID]) -> bool:
    if not programme_ids:
        return False
    found = db.session.scalar(
        select(Enrolment.id)
        .join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id == school.id, ProgrammeYear.programme_id.in_(programme_ids))
        .limit(1)
    )
    return found is not None


def _is_enrolled(school: School, year: ProgrammeYear) -> bool:
    found = db.session.scalar(select(Enrolment.id).where(Enrolment.school_id == school.id,
                                                          Enrolment.year_id == year.id))
    return found is not None


def _school_in_clusters(school: School, cluster_ids: set[uuid.UUID]) -> bool:
    if not cluster_ids:
        return False
    found = db.session.scalar(
        select(Enrolment.id).where(Enrolment.school_id == school.id, Enrolment.cluster_id.in_(cluster_ids)).limit(1)
    )
    return found is not None


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def leads_programme(user: User, obj: Any) -> bool:
    return _programme_of(obj) in _programme_ids(user, Role.PROGRAMME_LEAD)


def can_view_school(user: User, school: School) -> bool:
    if school.id in staff_school_ids(user):
        return True
    overseeing = _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT)
    clusters = {r.cluster_id for r in user.roles if r.role == Role.CLUSTER_LEAD and r.cluster_id}
    return _school_in_programmes(school, overseeing) or _school_in_clusters(school, clusters)


def leads_cluster(user: User, cluster: Cluster) -> bool:
    """A cluster lead of this cluster, or the lead of its programme."""
    return (any(r.role == Role.CLUSTER_LEAD and r.cluster_id == cluster.id for r in user.roles)
            or leads_programme(user, cluster))


def can_view_cluster_meeting(user: User, meeting: ClusterMeeting) -> bool:
    """The cluster's leads, and the staff of the schools in the cluster that year."""
    if leads_cluster(user, meeting.cluster):
        return True
    own = staff_school_ids(user)
    if not own:
        return False
    found = db.session.scalar(select(Enrolment.id).where(
        Enrolment.year_id == meeting.year_id, Enrolment.cluster_id == meeting.cluster_id,
        Enrolment.school_id.in_(own)).limit(1))
    return found is not None


def can_manage_request(user: User, request: InformationRequest) -> bool:
    """Whoever sent it, the programme's lead, and the leads of the cluster it went to."""
    return (request.issued_by_id == user.id or leads_programme(user, request.year)
            or (request.cluster is not None and leads_cluster(user, request.cluster)))


def can_view_triad(user: User, triad: Triad) -> bool:
    if _programme_of(triad) in _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT):
        return True
    return is_triad_staff(user, triad)


def is_school_staff(user: User, school_id: uuid.UUID, *roles: Role) -> bool:
    """Head or SENCo (or only the given roles) of the school."""
    return any(r.school_id == school_id and r.role in (roles or (Role.HEAD, Role.SENCO)) for r in user.roles)


def _in_same_triad(user: User, school_id: uuid.UUID, year_id: uuid.UUID) -> bool:
    """Is one of the user's schools in the same triad as this school, this year?"""
    own = staff_school_ids(user)
    if not own:
        return False
    peer = aliased(TriadMember)
    found = db.session.scalar(
        select(TriadMember.id)
        .join(peer, peer.triad_id == TriadMember.triad_id)
        .where(TriadMember.school_id == school_id, TriadMember.year_id == year_id, peer.school_id.in_(own))
        .limit(1)
    )
    return found is not None


def is_qa_expert_for(user: User, school_id: uuid.UUID, year: ProgrammeYear) -> bool:
    """Assigned to the school for the year, and still a QA expert in the programme."""
    if year.programme_id not in _programme_ids(user, Role.QA_EXPERT):
        return False
    found = db.session.scalar(select(QAVisit.id).where(
        QAVisit.school_id == school_id, QAVisit.year_id == year.id, QAVisit.expert_id == user.id))
    return found is not None


def _shared_with_lead(school_id: uuid.UUID, year_id: uuid.UUID) -> bool:
    return bool(db.session.scalar(select(Enrolment.shared_with_lead).where(
        Enrolment.school_id == school_id, Enrolment.year_id == year_id)))


def can_view_evaluation(user: User, evaluation: SelfEvaluation) -> bool:
    """Drafts are private to the school. Once submitted: the triad's other schools, the school's QA
    expert, and the programme lead while the head consents to share."""
    if is_school_staff(user, evaluation.school_id):
        return True
    if evaluation.status == EvaluationStatus.DRAFT:
        return False
    return _readable_by_others(user, evaluation.school_id, evaluation.year)


def _readable_by_others(user: User, school_id: uuid.UUID, year: ProgrammeYear) -> bool:
    """Once a school's work is submitted or finalised: its triad, its QA expert, and the programme
    lead while the head consents to share."""
    return (_in_same_triad(user, school_id, year.id)
            or is_qa_expert_for(user, school_id, year)
            or (leads_programme(user, year) and _shared_with_lead(school_id, year.id)))


def can_view_plan(user: User, plan: ActionPlan) -> bool:
    """Drafts are private to the school; once a version is finalised, as for self-evaluations."""
    if is_school_staff(user, plan.school_id):
        return True
    return bool(plan.versions) and _readable_by_others(user, plan.school_id, plan.year)


def _has_shared_work(school_id: uuid.UUID, year_id: uuid.UUID) -> bool:
    """A submitted self-evaluation or a finalised action plan: the school's work others may read."""
    submitted = select(SelfEvaluation.id).where(SelfEvaluation.school_id == school_id,
                                                SelfEvaluation.year_id == year_id,
                                                SelfEvaluation.status != EvaluationStatus.DRAFT)
    finalised = select(ActionPlan.id).where(ActionPlan.school_id == school_id, ActionPlan.year_id == year_id,
                                            ActionPlan.versions.any())
    return bool(db.session.scalar(select(submitted.exists() | finalised.exists())))


def _may_read_school_year(user: User, school_id: uuid.UUID, year: ProgrammeYear) -> bool:
    return is_school_staff(user, school_id) or (_has_shared_work(school_id, year.id)
                                                and _readable_by_others(user, school_id, year))


def can_view_school_report(user: User, subject: Any) -> bool:
    """A school's report for a year: its staff, and whoever may read its self-evaluation or action plan
    that year. `subject` is one school's year (its Enrolment, SelfEvaluation or ActionPlan). Given only
    the School (the download's decorator), it asks about any of the school's years; the report service
    then refuses a year whose work the person may not read."""
    if not isinstance(subject, School):
        return _may_read_school_year(user, subject.school_id, subject.year)
    years = db.session.scalars(select(ProgrammeYear).join(Enrolment, Enrolment.year_id == ProgrammeYear.id)
                               .where(Enrolment.school_id == subject.id))
    return is_school_staff(user, subject.id) or any(_may_read_school_year(user, subject.id, year) for year in years)


def is_coach_staff(user: User, triad: Triad) -> bool:
    """Head or SENCo of the triad's coach school."""
    own = staff_school_ids(user)
    return any(m.is_coach and m.school_id in own for m in triad.members)


def can_schedule_for(user: User, triad: Triad) -> bool:
    """The coach school arranges the triad's meetings and visits; the programme lead can too."""
    return is_coach_staff(user, triad) or leads_programme(user, triad)


def can_view_peer_visit(user: User, visit: PeerVisit) -> bool:
    """A peer visit's notes are for the visited school and the coach school only."""
    return is_school_staff(user, visit.visited_school_id) or is_coach_staff(user, visit.triad)


def _takes_part(user: User, programme_id: uuid.UUID, year_id: uuid.UUID | None = None) -> bool:
    """The programme's lead and QA experts, its cluster leads, and the staff of schools enrolled in the
    given year (or in any year of the programme)."""
    if programme_id in _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT):
        return True
    if any(r.cluster is not None and r.cluster.programme_id == programme_id for r in user.roles):
        return True
    own = staff_school_ids(user)
    if not own:
        return False
    enrolled = select(Enrolment.id).where(Enrolment.school_id.in_(own))
    enrolled = (enrolled.where(Enrolment.year_id == year_id) if year_id is not None else
                enrolled.join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
                .where(ProgrammeYear.programme_id == programme_id))
    return db.session.scalar(enrolled.limit(1)) is not None


def in_programme_year(user: User, year: ProgrammeYear) -> bool:
    """Everyone taking part in the year: its programme's people, enrolled schools' staff, cluster leads."""
    return _takes_part(user, year.programme_id, year.id)


def in_programme(user: User, programme: Programme) -> bool:
    """Anyone taking part in any year of the programme (for what it shares across years)."""
    return _takes_part(user, programme.id)


def is_triad_staff(user: User, triad: Triad) -> bool:
    """Head or SENCo of one of the triad's schools."""
    own = staff_school_ids(user)
    return any(m.school_id in own for m in triad.members)


def can_view_qa_visit(user: User, visit: QAVisit) -> bool:
    return (visit.expert_id == user.id or is_school_staff(user, visit.school_id)
            or leads_programme(user, visit.year))


def can_moderate(user: User, evaluation: SelfEvaluation) -> bool:
    return evaluation.status != EvaluationStatus.DRAFT and is_qa_expert_for(user, evaluation.school_id, evaluation.year)


# Each rule takes the user and the object the view is about (None for none).
RULES: dict[str, Callable[[User, Any], bool]] = {
    SIGNED_IN: lambda user, obj: True,
    "notice.open": lambda user, notice: notice.user_id == user.id,  # one's own notices only
    "admin": lambda user, obj: False,  # admins only (see can())
    "programme.create": lambda user, obj: bool(_programme_ids(user, Role.PROGRAMME_LEAD)),
    "programme.view": lambda user, obj: _programme_of(obj) in _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT),
    "programme.manage": leads_programme,
    "school.view": can_view_school,
    "triad.view": can_view_triad,
    "school.staff": lambda user, school: is_school_staff(user, school.id),
    "school.head": lambda user, school: is_school_staff(user, school.id, Role.HEAD),
    "self_evaluation.view": can_view_evaluation,
    "self_evaluation.edit": lambda user, evaluation: is_school_staff(user, evaluation.school_id),
    "self_evaluation.head": lambda user, evaluation: is_school_staff(user, evaluation.school_id, Role.HEAD),
    "self_evaluation.moderate": can_moderate,
    "action_plan.view": can_view_plan,
    "action_plan.edit": lambda user, plan: is_school_staff(user, plan.school_id),
    "action_plan.head": lambda user, plan: is_school_staff(user, plan.school_id, Role.HEAD),
    "school_report.view": can_view_school_report,
    "triad.schedule": can_schedule_for,
    "triad.coach": is_coach_staff,
    "meeting.view": lambda user, meeting: can_view_triad(user, meeting.triad),
    "meeting.manage": lambda user, meeting: can_schedule_for(user, meeting.triad),
    "peer_visit.view": can_view_peer_visit,
    "peer_visit.write": lambda user, visit: is_coach_staff(user, visit.triad),
    "event.view": lambda user, event: in_programme_year(user, event.year),
    "qa_visit.view": can_view_qa_visit,
    "request.manage": can_manage_request,
    "request.answer": lambda user, recipient: is_school_staff(user, recipient.school_id),
    "request.file": lambda user, recipient: (is_school_staff(user, recipient.school_id)
                                             or can_manage_request(user, recipient.request)),
    "cluster.lead": leads_cluster,
    "cluster.manage": leads_programme,
    "cluster_meeting.view": can_view_cluster_meeting,
    "cluster_meeting.manage": lambda user, meeting: leads_cluster(user, meeting.cluster),
    "celebration.view": can_view_triad,
    "celebration.edit": is_triad_staff,
    "learning.edit": lambda user, learning: is_triad_staff(user, learning.submission.triad),
    "learning.tag": leads_programme,
    "celebration.return": leads_programme,
    "library.view": in_programme,
    # The framework's blank copy, to print and draft on: everyone taking part, schools' staff too.
    "framework.print": in_programme,
}

# A school's own records: administrators run the service but do not read schools' confidential work (nor
# anyone's notices).
CONFIDENTIAL = {"notice.open", "school.staff", "school.head", "self_evaluation.view", "self_evaluation.edit",
                "self_evaluation.head",
                "self_evaluation.moderate", "action_plan.view", "action_plan.edit", "action_plan.head",
                "school_report.view", "peer_visit.view", "peer_visit.write", "triad.coach", "qa_visit.view",
                "request.manage", "request.answer", "request.file", "celebration.edit", "learning.edit"}

# How two records named by one URL belong together, for each pair of kinds a route names.
BELONGS: dict[tuple[str, str], Callable[[Any, Any], bool]] = {
    ("year", "school"): lambda year, school: _is_enrolled(school, year),
    ("triad", "school"): lambda triad, school: any(m.school_id == school.id for m in triad.members),
    ("cluster", "school"): lambda cluster, school: _school_in_clusters(school, {cluster.id}),
}

