"""Clusters (the South Gloucestershire model): a programme's schools grouped in clusters, each led by a
lead headteacher and lead SENCOs for the primary and secondary phases; each school's Whole School SEND
Review (one every three years); and the cluster's termly meetings, scheduled and minuted like a triad's."""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, partial

import holidays
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.clusters.phases import PRIMARY, SECONDARY, serves_phase
from app.common import clock, dates
from app.common.errors import DomainError, checked_together
from app.extensions import db
from app.meetings.service import (
    CLOSED_FOR_SCHEDULING,
    MeetingInput,
    When,
    checked_meeting,
    save_meeting,
    save_meeting_record,
    update_changed,
)
from app.models import (
    Cluster,
    ClusterMeeting,
    Enrolment,
    InformationRequest,
    MeetingState,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    Term,
    User,
)

# --- Clusters and their schools --------------------------------------------------------------------


def clusters_for(programme: Programme) -> list[Cluster]:
    return list(db.session.scalars(select(Cluster).where(Cluster.programme_id == programme.id).order_by(Cluster.name)))


def latest_year(cluster: Cluster) -> ProgrammeYear | None:
    """The programme's latest academic year: the one a cluster's page is about."""
    years = cluster.programme.years
    return years[0] if years else None


def open_year(cluster: Cluster) -> ProgrammeYear | None:
    """The latest academic year still open, for sending requests; None when every year is closed."""
    return next((year for year in cluster.programme.years if not year.is_closed), None)


def school_counts(programme: Programme) -> dict[uuid.UUID, int]:
    """How many schools each of the programme's clusters has in its latest year."""
    if not programme.years:
        return {}
    rows = db.session.execute(
        select(Enrolment.cluster_id, func.count()).where(Enrolment.year_id == programme.years[0].id,
                                                         Enrolment.cluster_id.is_not(None))
        .group_by(Enrolment.cluster_id))
    return {cluster_id: count for cluster_id, count in rows if cluster_id is not None}


def create_cluster(programme: Programme, name: str) -> Cluster:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the cluster", field="name")
    if len(name) > 120:
        raise DomainError("The cluster's name must be 120 characters or fewer", field="name")
    clash = db.session.scalar(select(Cluster.name).where(Cluster.programme_id == programme.id,
                                                         func.lower(Cluster.name) == name.lower()))
    if clash is not None:
        raise DomainError(f"There is already a cluster called {clash} in this programme", field="name")
    cluster = Cluster(programme_id=programme.id, name=name)
    db.session.add(cluster)
    db.session.flush()
    return cluster


def cluster_in_programme(programme: Programme, cluster_id: uuid.UUID | None) -> Cluster:
    """One of the programme's clusters, chosen in a form; a DomainError for anything else."""
    cluster = next((c for c in clusters_for(programme) if c.id == cluster_id), None)
    if cluster is None:
        raise DomainError("Choose one of the programme's clusters", field="cluster_id")
    return cluster


def _check_year(cluster: Cluster, year: ProgrammeYear) -> None:
    if year.programme_id != cluster.programme_id:
        raise DomainError(f"{year.label} is not a year of {cluster.name}'s programme")


def cluster_schools(cluster: Cluster, year: ProgrammeYear) -> list[School]:
    """The schools enrolled in the year in this cluster, by name."""
    return list(db.session.scalars(
        select(School).join(Enrolment, Enrolment.school_id == School.id)
        .where(Enrolment.year_id == year.id, Enrolment.cluster_id == cluster.id).order_by(School.name)))


def enrolments_in(year: ProgrammeYear) -> list[Enrolment]:
    """Every school taking part in the year with the cluster it is in (for choosing a cluster's schools)."""
    return list(db.session.scalars(
        select(Enrolment).join(School, Enrolment.school_id == School.id).where(Enrolment.year_id == year.id)
        .options(contains_eager(Enrolment.school), joinedload(Enrolment.cluster)).order_by(School.name)))


def assign_schools(cluster: Cluster, year: ProgrammeYear, school_ids: set[uuid.UUID]) -> None:
    """Put the chosen schools of the year in the cluster (moving them from any other) and take this
    cluster's other schools out of it."""
    _check_year(cluster, year)
    year.require_open("its clusters can no longer be changed")
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.year_id == year.id)).all()
    if set(school_ids) - {e.school_id for e in enrolments}:
        raise DomainError(f"Choose schools taking part in {year.label}", field="schools")
    for enrolment in enrolments:
        if enrolment.school_id in school_ids:
            update_changed(enrolment, {"cluster_id": cluster.id})
        elif enrolment.cluster_id == cluster.id:
            enrolment.cluster_id = None
    db.session.flush()


# --- Cluster leads ---------------------------------------------------------------------------------


def cluster_staff(cluster: Cluster, year: ProgrammeYear) -> list[RoleAssignment]:
    """The active heads' and SENCOs' roles at the cluster's schools in the year, with person and school."""
    return list(db.session.scalars(
        select(RoleAssignment)
        .join(User, RoleAssignment.user_id == User.id)
        .join(School, RoleAssignment.school_id == School.id)
        .join(Enrolment, Enrolment.school_id == School.id)
        .where(Enrolment.year_id == year.id, Enrolment.cluster_id == cluster.id, User.active,
               RoleAssignment.role.in_((Role.HEAD, Role.SENCO)))
        # The people's own roles are loaded only if asked for (when naming leads), keeping this one query.
        .options(contains_eager(RoleAssignment.user).lazyload(User.roles), contains_eager(RoleAssignment.school))
        .order_by(User.name, School.name)))


def cluster_people(cluster: Cluster, year: ProgrammeYear) -> list[User]:
    """Heads and SENCOs of the cluster's schools: who can attend its meetings."""
    return list({a.user_id: a.user for a in cluster_staff(cluster, year)}.values())


@dataclass
class LeadChoices:
    """Who may be named as each of the cluster's leads: (person, their school) pairs."""

    heads: list[RoleAssignment]
    primary_sencos: list[RoleAssignment]
    secondary_sencos: list[RoleAssignment]


def lead_choices(cluster: Cluster, year: ProgrammeYear) -> LeadChoices:
    staff = cluster_staff(cluster, year)
    sencos = [a for a in staff if a.role == Role.SENCO]
    return LeadChoices([a for a in staff if a.role == Role.HEAD],
                       [a for a in sencos if a.school and serves_phase(a.school.phase, PRIMARY)],
                       [a for a in sencos if a.school and serves_phase(a.school.phase, SECONDARY)])


# (field, the Cluster relationship it sets, message when the person cannot be named)
_LEAD_PLACES = (
    ("lead_head_id", "lead_head", "Choose a headteacher of one of the cluster's schools"),
    ("primary_senco_id", "primary_senco", "Choose the SENCo of one of the cluster's primary schools"),
    ("secondary_senco_id", "secondary_senco", "Choose the SENCo of one of the cluster's secondary schools"),
)


def set_cluster_leads(cluster: Cluster, year: ProgrammeYear, head_id: uuid.UUID | None,
                      primary_senco_id: uuid.UUID | None, secondary_senco_id: uuid.UUID | None) -> None:
    """Name the lead head and the lead SENCOs (any may be left empty). Each named person holds the
    cluster lead role; someone no longer named in any of the three places loses it."""
    _check_year(cluster, year)
    choices = lead_choices(cluster, year)
    offered = (choices.heads, choices.primary_sencos, choices.secondary_sencos)
    named: dict[str, User | None] = {}
    chosen_ids = (head_id, primary_senco_id, secondary_senco_id)
    for (field, attribute, message), chosen, people in zip(_LEAD_PLACES, chosen_ids, offered, strict=True):
        person = next((a.user for a in people if a.user_id == chosen), None)
        if chosen is not None and person is None:
            raise DomainError(message, field=field)
        named[attribute] = person
    before = {i for i in (cluster.lead_head_id, cluster.primary_senco_id, cluster.secondary_senco_id) if i is not None}
    update_changed(cluster, named)
    after = {person.id: person for person in named.values() if person is not None}
    holding = {a.user_id: a for a in db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.role == Role.CLUSTER_LEAD, RoleAssignment.cluster_id == cluster.id,
        RoleAssignment.user_id.in_(before | set(after))))}
    for user_id, person in after.items():
        if user_id not in holding:
            person.roles.append(RoleAssignment(role=Role.CLUSTER_LEAD, cluster_id=cluster.id))
    for user_id in before - set(after):
        if user_id in holding:
            holding[user_id].user.roles.remove(holding[user_id])
    db.session.flush()


# --- Whole School SEND Reviews ----------------------------------------------------------------------

REVIEW_EVERY_YEARS = 3
EARLIEST_REVIEW = date(2000, 1, 1)


class ReviewStatus(enum.StrEnum):
    """Where a school's Whole School SEND Review stands; its value is how it reads."""

    NOT_RECORDED = "Not recorded"
    OVERDUE = "Overdue"
    DUE = "Due"
    UP_TO_DATE = "Up to date"

    @property
    def is_overdue(self) -> bool:
        return self is ReviewStatus.OVERDUE

    @property
    def needs_action(self) -> bool:
        """Overdue, or due by the end of this academic year."""
        return self in (ReviewStatus.OVERDUE, ReviewStatus.DUE)

    @property
    def tag_colour(self) -> str:
        return {ReviewStatus.OVERDUE: "red", ReviewStatus.DUE: "yellow", ReviewStatus.UP_TO_DATE: "green",
                ReviewStatus.NOT_RECORDED: "grey"}[self]


# each by its own name too
NOT_RECORDED, OVERDUE, DUE, UP_TO_DATE = (ReviewStatus.NOT_RECORDED, ReviewStatus.OVERDUE, ReviewStatus.DUE,
                                          ReviewStatus.UP_TO_DATE)


def review_due_on(last: date) -> date:
    """The same day three years on (a review on 29 February is next due on 28 February)."""
    try:
        return last.replace(year=last.year + REVIEW_EVERY_YEARS)
    except ValueError:
        return date(last.year + REVIEW_EVERY_YEARS, 2, 28)


def _end_of_academic_year(today: date) -> date:
    return date(dates.academic_start_year(today) + 1, 8, 31)


def review_status(last: date | None, today: date) -> ReviewStatus:
    """Overdue once the due date has passed; Due when it falls by the end of this academic year (31 August)."""
    if last is None:
        return NOT_RECORDED
    due = review_due_on(last)
    if due < today:
        return OVERDUE
    return DUE if due <= _end_of_academic_year(today) else UP_TO_DATE


def record_send_review(school: School, day: date | None, today: date, day_invalid: bool = False) -> None:
    """The date of the school's last Whole School SEND Review."""
    field = "last_review_on"
    if day_invalid:
        raise DomainError("The date of the last review must be a real date, for example 14 3 2024", field=field)
    if day is None:
        raise DomainError("Enter the date of the last Whole School SEND Review", field=field)
    if day > today:
        raise DomainError("The date of the last review must be today or in the past", field=field)
    if day < EARLIEST_REVIEW:
        raise DomainError("The date of the last review must be in 2000 or later", field=field)
    update_changed(school, {"last_send_review_on": day})
    db.session.flush()


@dataclass
class ReviewRow:
    school: School
    last_on: date | None
    due_on: date | None
    status: ReviewStatus


def send_reviews(schools: list[School], today: date) -> list[ReviewRow]:
    """Each school's review: overdue first, then due, then by due date (not recorded last)."""
    rows = [ReviewRow(school, school.last_send_review_on,
                      review_due_on(school.last_send_review_on) if school.last_send_review_on else None,
                      review_status(school.last_send_review_on, today)) for school in schools]
    rank = {OVERDUE: 0, DUE: 1}
    return sorted(rows, key=lambda r: (rank.get(r.status, 2), r.due_on or date.max, r.school.name))


# --- Termly cluster meetings ------------------------------------------------------------------------


@cache
def easter_monday(year: int) -> date:
    return next(day for day, name in holidays.country_holidays("GB", subdiv="ENG", years=year).items()
                if name == "Easter Monday")


def term_dates(term: Term, start_year: int) -> tuple[date, date]:
    """Autumn: 1 September to 31 December; spring: 1 January to Easter Monday; summer: to 31 August."""
    easter = easter_monday(start_year + 1)
    return {Term.AUTUMN: (date(start_year, 9, 1), date(start_year, 12, 31)),
            Term.SPRING: (date(start_year + 1, 1, 1), easter),
            Term.SUMMER: (easter + timedelta(days=1), date(start_year + 1, 8, 31))}[term]


def term_of(day: date, start_year: int) -> Term | None:
    """The term of the academic year starting in `start_year` that the day falls in (None outside it)."""
    return next((term for term in Term if term_dates(term, start_year)[0] <= day <= term_dates(term, start_year)[1]),
                None)


def _check_term(year: ProgrammeYear, term: Term, when: When) -> None:
    """A term's meeting falls in that term (a date that is not a date is checked with the others)."""
    if when.day is not None and not when.day_invalid and term_of(when.day, year.start_year) != term:
        start, end = term_dates(term, year.start_year)
        raise DomainError(f"The {term.label.lower()} meeting must be between {dates.day(start)} and {dates.day(end)}",
                          field="day")


def schedule_cluster_meeting(cluster: Cluster, year: ProgrammeYear, term: Term,
                             given: MeetingInput) -> tuple[ClusterMeeting, list[str]]:
    """Schedule (or move) the cluster's meeting for a term. Returns it and any same-day warnings."""
    _check_year(cluster, year)
    year.require_open(CLOSED_FOR_SCHEDULING)
    school_ids = {school.id for school in cluster_schools(cluster, year)}
    _, values = checked_together(lambda: _check_term(year, term, given.when),
                                 lambda: checked_meeting(year, given, school_ids, "cluster"))
    meeting = db.session.scalar(select(ClusterMeeting).where(
        ClusterMeeting.cluster_id == cluster.id, ClusterMeeting.year_id == year.id, ClusterMeeting.term == term))
    return save_meeting(meeting, partial(ClusterMeeting, cluster_id=cluster.id, year_id=year.id, term=term), values,
                        school_ids)


def record_cluster_meeting(meeting: ClusterMeeting, held: bool, notes: str, attendee_ids: set[uuid.UUID],
                           people: list[User], expected_version: int | None = None, *,
                           keep_theirs: tuple[str, ...] = ()) -> ClusterMeeting:
    """After the meeting: whether it was held, the notes, and who attended (from the cluster's staff), unless
    someone else saved them since `expected_version` (VersionConflict), as a triad meeting's are."""
    save_meeting_record(meeting, meeting.year, held, notes, attendee_ids, people, expected_version,
                        keep_theirs=keep_theirs)
    return meeting


@dataclass
class ClusterMeetingSlot:
    term: Term
    meeting: ClusterMeeting | None

    @property
    def state(self) -> MeetingState:
        return MeetingState.of(self.meeting)


def cluster_meeting_slots(cluster: Cluster, year: ProgrammeYear) -> list[ClusterMeetingSlot]:
    """The year's three terms, each with its meeting (or None)."""
    meetings = {m.term: m for m in db.session.scalars(
        select(ClusterMeeting).where(ClusterMeeting.cluster_id == cluster.id, ClusterMeeting.year_id == year.id)
        .options(selectinload(ClusterMeeting.host_school), selectinload(ClusterMeeting.attendees)))}
    return [ClusterMeetingSlot(term, meetings.get(term)) for term in Term]


# --- The cluster's page ------------------------------------------------------------------------------


@dataclass
class ClusterPage:
    cluster: Cluster
    year: ProgrammeYear | None
    reviews: list[ReviewRow]
    slots: list[ClusterMeetingSlot]
    requests: list[InformationRequest]

    @property
    def reviews_needing_action(self) -> int:
        return sum(row.status.needs_action for row in self.reviews)


def cluster_page(cluster: Cluster, today: date | None = None) -> ClusterPage:
    """Everything the cluster's page shows, in a fixed number of queries however many schools."""
    today = today or clock.today()
    cluster = db.session.scalars(select(Cluster).where(Cluster.id == cluster.id).options(
        selectinload(Cluster.lead_head), selectinload(Cluster.primary_senco), selectinload(Cluster.secondary_senco),
        selectinload(Cluster.programme).selectinload(Programme.years))).one()
    year = latest_year(cluster)
    if year is None:
        return ClusterPage(cluster, None, [], [], [])
    requests = list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.cluster_id == cluster.id,
                                         InformationRequest.year_id == year.id)
        .options(selectinload(InformationRequest.recipients)).order_by(InformationRequest.issued_on.desc())))
    return ClusterPage(cluster, year, send_reviews(cluster_schools(cluster, year), today),
                       cluster_meeting_slots(cluster, year), requests)
