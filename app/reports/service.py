"""Printed reports: a school's year for its governing body (self and moderated ratings by area, the
action plan and its progress) and a triad's three schools side by side. Each holds only what its
reader may see on the pages it comes from, so the same report differs by who prints it: what that is
comes in as plain values (`SchoolReader`, `TriadReader`), decided from the permission rules by
app/reports/readers.py. The command line finds schools, years and people here too."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.action_plans.exports import shown_actions
from app.action_plans.progress import completion, triad_progress
from app.action_plans.service import PlanPage, plan_content, plan_page
from app.common import clock, dates
from app.common.charts import PairedBarChart
from app.common.errors import DomainError
from app.common.exports import file_slug
from app.common.ids import parse_uuid
from app.common.images import data_url
from app.extensions import db
from app.frameworks.service import current_areas
from app.meetings.service import meeting_slots, peer_visits_for
from app.models import (
    MEETINGS_PER_YEAR,
    ActionPlan,
    AreaRating,
    Enrolment,
    EvaluationStatus,
    Framework,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.programmes.service import enrolment_of
from app.self_evaluations.service import EvaluationPage, evaluation_page

NOT_SHARED = "Not shared"
NOT_STARTED = "Not started"


class ReportRefused(DomainError):
    """The reader may not see this report (the download answers 403)."""


@dataclass(frozen=True)
class SchoolReader:
    """Who prints a school's report, and what of the school's year they may read."""

    name: str
    staff: bool  # the school's head or SENCo: the live plan, not the last finalised version
    sees_evaluation: bool
    sees_plan: bool


@dataclass(frozen=True)
class TriadReader:
    """Who prints a triad's report, and whose self-ratings they may read."""

    name: str
    staff_school_ids: frozenset[uuid.UUID]  # the schools they are head or SENCo of
    evaluations_read: frozenset[uuid.UUID]  # the schools whose self-evaluation they may read


def _on(moment: datetime | None) -> str:
    return dates.day(moment)


# --- A school's year, for its governing body ---------------------------------------------------------


@dataclass
class AreaLine:
    position: int
    title: str
    self_level: int | None
    self_text: str  # "3 Established", or "Not yet evaluated"
    moderated_level: int | None
    moderated_text: str  # "2 Developing", or "" before moderation
    flagged: bool  # two or more levels apart
    strengths: str
    development: str
    not_evaluated_reason: str


@dataclass
class EvaluationPart:
    status: str
    submitted_text: str
    signed_off_text: str
    areas: list[AreaLine]
    chart: PairedBarChart
    moderated: bool  # a QA expert has moderated at least one area

    @property
    def flagged(self) -> int:
        return sum(area.flagged for area in self.areas)


@dataclass
class PlanPart:
    version_label: str
    finalised_text: str
    completion_text: str
    actions: list[dict]  # plan_exports.shown_actions rows


@dataclass
class SchoolReport:
    school_name: str
    urn: int
    phase: str
    programme_name: str
    year_label: str
    triad_name: str  # "" when the school is in no triad this year
    is_coach: bool
    meetings_held: int
    evaluation: EvaluationPart | None  # None when there is none the reader may see
    evaluation_note: str  # why there is none
    plan: PlanPart | None
    plan_note: str
    reader: str
    printed_on: str
    organisation_name: str = ""
    logo: str = ""  # the organisation's logo as a data: URL, "" when it has none

    @property
    def title(self) -> str:
        return f"{self.school_name} report for the governing body, {self.year_label}"

    @property
    def meetings_text(self) -> str:
        if not self.triad_name:
            return "Not in a triad this year"
        return f"{self.meetings_held} of {MEETINGS_PER_YEAR} triad meetings held"


def _person(names: dict[uuid.UUID, str], user_id: uuid.UUID | None) -> str:
    return names.get(user_id, "someone who has left") if user_id else "someone who has left"


def _evaluation_part(page: EvaluationPage) -> EvaluationPart:
    evaluation = page.evaluation
    names = page.names
    areas = []
    for row in page.rows:
        moderated = row.moderated.level if row.moderated else None
        areas.append(AreaLine(row.area.position, row.area.title, row.rating.level,
                              page.level_text(row.rating.level) or "Not yet evaluated", moderated,
                              page.level_text(moderated), row.flagged, row.rating.strengths, row.rating.development,
                              row.rating.not_evaluated_reason))
    chart = page.ratings_chart()
    # a reopened self-evaluation keeps when it was last submitted, but it is a draft again
    is_draft = evaluation.status == EvaluationStatus.DRAFT
    submitted = (f"Submitted by {_person(names, evaluation.submitted_by_id)} on "
                 f"{_on(evaluation.submitted_at)}" if evaluation.submitted_at and not is_draft else "Not submitted yet")
    signed_off = (f"Signed off by {_person(names, evaluation.signed_off_by_id)} on "
                  f"{_on(evaluation.signed_off_at)}" if evaluation.signed_off_at else "Not signed off yet")
    return EvaluationPart(evaluation.status.label, submitted, signed_off, areas, chart,
                          any(area.moderated_text for area in areas))


def _plan_part(page: PlanPage, staff: bool) -> PlanPart:
    rows, number, finalised = plan_content(page, staff)
    return PlanPart(f"Version {number}", finalised, str(completion(rows)), shown_actions(rows, page.today))


@dataclass
class SchoolWork:
    """A school's self-evaluation and action plan for a year (either may not be started)."""

    school: School
    year: ProgrammeYear
    evaluation: SelfEvaluation | None
    plan: ActionPlan | None


def school_work(school: School, year: ProgrammeYear) -> SchoolWork:
    """The school's work in a year it takes part in (a DomainError for a year it does not)."""
    enrolment_of(school, year)
    evaluation = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.school_id == school.id,
                                                                SelfEvaluation.year_id == year.id))
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.school_id == school.id, ActionPlan.year_id == year.id)
                             .options(selectinload(ActionPlan.versions)))
    return SchoolWork(school, year, evaluation, plan)


def build_school_report(work: SchoolWork, reader: SchoolReader) -> SchoolReport:
    """The school's year as `reader` may see it: the self-evaluation part only where they may read the
    self-evaluation, the plan only where they may read it (the school's staff the live plan, others the
    last finalised version)."""
    school, year, evaluation, plan = work.school, work.year, work.evaluation, work.plan
    place = db.session.scalar(select(TriadMember).where(TriadMember.school_id == school.id,
                                                        TriadMember.year_id == year.id)
                              .options(selectinload(TriadMember.triad)))
    held = db.session.scalar(select(func.count()).select_from(TriadMeeting).where(
        TriadMeeting.triad_id == place.triad_id, TriadMeeting.held)) if place else 0
    evaluation_shown = evaluation_page(evaluation.id) if evaluation and reader.sees_evaluation else None
    plan_shown = plan_page(plan.id, with_suggestions=False) if plan and reader.sees_plan else None
    organisation = year.programme.organisation
    return SchoolReport(
        school.name, school.urn, school.phase, year.programme.name, year.label,
        place.triad.name if place else "", bool(place and place.is_coach), held or 0,
        _evaluation_part(evaluation_shown) if evaluation_shown else None,
        "The self-evaluation has not been started." if evaluation is None
        else "The self-evaluation has not been submitted yet.",
        _plan_part(plan_shown, reader.staff) if plan_shown else None,
        "The action plan has not been started." if plan is None
        else "No version of the action plan has been finalised yet.",
        reader.name, dates.day(clock.today()), organisation.name, data_url(organisation.logo_type, organisation.logo))


def school_report_filename(school: School, year: ProgrammeYear) -> str:
    return f"{file_slug(school.name)}-report-{year.label.replace('/', '-')}.pdf"


# --- A triad's schools side by side -------------------------------------------------------------------


@dataclass
class TriadSchoolColumn:
    name: str
    is_coach: bool
    evaluation_status: str
    levels: list[str]  # per area, in the order of TriadReport.areas
    plan_status: str
    completion_text: str
    overdue: int
    peer_visit: str
    qa_visit: str


@dataclass
class MeetingLine:
    number: int
    purpose: str
    date_text: str
    state: str  # Missing, Scheduled or Held, as it reads
    held: bool


@dataclass
class TriadReport:
    triad_name: str
    programme_name: str
    year_label: str
    areas: list[str]  # "1. Outcomes for pupils with SEND"
    schools: list[TriadSchoolColumn]  # alphabetical
    meetings: list[MeetingLine]
    completion_text: str
    reader: str
    printed_on: str

    @property
    def title(self) -> str:
        return f"{self.triad_name} triad report, {self.year_label}"

    @property
    def meetings_held(self) -> int:
        return sum(m.held for m in self.meetings)


def _visit_text(starts_at: datetime | None, done: bool, now: datetime) -> str:
    if starts_at is None:
        return "Done" if done else "Not booked"
    return f"Done on {_on(starts_at)}" if done or starts_at <= now else f"Booked for {_on(starts_at)}"


def _levels(evaluation: SelfEvaluation | None, positions: list[int], reader: TriadReader) -> list[str]:
    if evaluation is None:
        return [NOT_STARTED] * len(positions)
    if evaluation.school_id not in reader.evaluations_read:
        return [NOT_SHARED] * len(positions)
    labels = {level.value: level.label for level in evaluation.framework.scale}
    levels = {r.area.position: r.level for r in evaluation.ratings}
    return [f"{level} {labels.get(level, '')}".strip() if (level := levels.get(p)) is not None
            else "Not yet evaluated" if p in levels else "Not in this framework" for p in positions]


def _area_titles(year: ProgrammeYear, evaluations: list[SelfEvaluation]) -> dict[int, str]:
    """The areas by number: the programme's current framework, and any others the schools' began on."""
    titles = {r.area.position: r.area.title for e in evaluations for r in e.ratings}
    titles.update({area.position: area.title for area in current_areas(year.programme)})
    return dict(sorted(titles.items()))


def triad_evaluations(triad: Triad) -> dict[uuid.UUID, SelfEvaluation]:
    """The triad's schools' self-evaluations of its year, by school, with their ratings and scales."""
    return {e.school_id: e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_([m.school_id for m in triad.members]),
                                     SelfEvaluation.year_id == triad.year_id)
        .options(selectinload(SelfEvaluation.ratings).selectinload(AreaRating.area),
                 selectinload(SelfEvaluation.framework).selectinload(Framework.scale)))}


def _evaluation_status(evaluation: SelfEvaluation | None) -> str:
    if evaluation is None:
        return NOT_STARTED
    return "Not submitted" if evaluation.status == EvaluationStatus.DRAFT else evaluation.status.label


def build_triad_report(triad: Triad, evaluations: dict[uuid.UUID, SelfEvaluation],
                       reader: TriadReader) -> TriadReport:
    """The triad's schools side by side as `reader` may see them (self ratings only where they may read
    the self-evaluation; `evaluations` from triad_evaluations), and its meetings."""
    year = triad.year
    members = sorted(triad.members, key=lambda m: m.school.name.casefold())
    ids = [m.school_id for m in members]
    rows, total = triad_progress(members, year.id, set(reader.staff_school_ids))
    progress = {row.school.id: row for row in rows}
    qa_visits = {v.school_id: v for v in db.session.scalars(
        select(QAVisit).where(QAVisit.school_id.in_(ids), QAVisit.year_id == year.id)
        .options(selectinload(QAVisit.moderated)))}
    peer_visits = peer_visits_for(triad)
    titles = _area_titles(year, list(evaluations.values()))
    now = clock.now()
    schools = []
    for member in members:
        evaluation, row = evaluations.get(member.school_id), progress[member.school_id]
        peer = peer_visits.get(member.school_id)
        qa = qa_visits.get(member.school_id)
        schools.append(TriadSchoolColumn(
            member.school.name, member.is_coach, _evaluation_status(evaluation),
            _levels(evaluation, list(titles), reader), row.status, str(row.completion), len(row.overdue),
            "Not applicable: the coach school visits" if member.is_coach
            else _visit_text(peer.starts_at, bool(peer.notes_at), now) if peer else "Not booked",
            _visit_text(qa.starts_at, bool(qa.moderated), now) if qa else "No QA expert assigned"))
    meetings = [MeetingLine(slot.number, slot.purpose, _on(slot.meeting.starts_at) if slot.meeting else "Not scheduled",
                            slot.state, slot.meeting is not None and slot.meeting.held)
                for slot in meeting_slots(triad)]
    return TriadReport(triad.name, year.programme.name, year.label, [f"{p}. {t}" for p, t in titles.items()],
                       schools, meetings, str(total), reader.name, dates.day(clock.today()))


def triad_report_filename(triad: Triad) -> str:
    return f"{file_slug(triad.name)}-report-{triad.year.label.replace('/', '-')}.pdf"


# --- Finding what the command line names ---------------------------------------------------------------


def find_school(reference: str) -> School:
    """A school by its URN (digits) or its id."""
    reference = (reference or "").strip()
    if reference.isdigit():
        school = db.session.scalar(select(School).where(School.urn == int(reference)))
        if school is None:
            raise DomainError(f"No school has the URN {reference}. Check the URN, or give the school's id")
        return school
    school_id = parse_uuid(reference)
    school = db.session.get(School, school_id) if school_id else None
    if school is None:
        raise DomainError(f"No school has the URN or id {reference!r}. Give the school's URN, for example 100001")
    return school


def find_year(school: School, label: str) -> ProgrammeYear:
    """The year the school takes part in, by its label ("2025/26")."""
    label = (label or "").strip().replace("-", "/")
    years = db.session.scalars(select(ProgrammeYear).join(Enrolment, Enrolment.year_id == ProgrammeYear.id)
                               .where(Enrolment.school_id == school.id)
                               .options(selectinload(ProgrammeYear.programme))).all()
    matching = [year for year in years if year.label == label]
    if len(matching) == 1:
        return matching[0]
    if matching:
        raise DomainError(f"{school.name} takes part in {label} in more than one programme. "
                          "Print the report from the school's page instead")
    taken = ", ".join(sorted(year.label for year in years)) or "none"
    raise DomainError(f"{school.name} is not taking part in {label or 'that year'}. "
                      f"Enter one of its years, like 2025/26 (its years: {taken})")


def find_triad(reference: str) -> Triad:
    triad_id = parse_uuid((reference or "").strip())
    triad = db.session.get(Triad, triad_id) if triad_id else None
    if triad is None:
        raise DomainError(f"No triad has the id {reference!r}. Copy the id from the address of the triad's page")
    return triad


def find_reader(email: str) -> User:
    """The active account whose view a printed report takes."""
    email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise DomainError(f"No account has the email address {email!r}. Check the address")
    if not user.active:
        raise DomainError(f"The account {email} is deactivated, so reports cannot be printed as it")
    return user
