"""What the locality dashboard knows of each enrolled school in a year, as plain values, read in a fixed
number of queries however many schools there are: one row per school, with its self-evaluation's and its
QA visit's ratings turned into a column per area in SQL (GROUP BY over the year's ratings, found through
self_evaluation.year_id and qa_visit.year_id), and its actions counted in SQL."""
from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.sql import Select, Subquery
from sqlalchemy.sql.elements import BindParameter

from app.action_plans.progress import completion, is_overdue
from app.clusters.phases import OTHER, PRIMARY, SECONDARY, phase_group
from app.common import clock
from app.dashboard.small_counts import ANY, ViewKey, cluster_key
from app.extensions import db
from app.models import (
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    Enrolment,
    EvaluationStatus,
    FrameworkArea,
    ModeratedRating,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    TriadMember,
)
from app.models.action_plan import ActionSnapshot

PHASES = {PRIMARY: "Primary", SECONDARY: "Secondary", OTHER: "All-through and other"}


def natural_key(name: str) -> list:
    """Sort "Triad 2" before "Triad 10"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


@functools.lru_cache(maxsize=256)
def phase_of(phase: str) -> str:
    """The dashboard's phase of a school: primary, secondary, or other (all-through schools included)."""
    group = phase_group(phase)
    return group if group in PHASES and group != OTHER else OTHER


@dataclass(slots=True)
class SchoolFacts:
    """One enrolled school's year, as plain values."""

    school_id: uuid.UUID
    name: str
    phase: str
    cluster_id: uuid.UUID | None
    shared: bool
    last_review_on: date | None = None
    status: EvaluationStatus | None = None
    levels: dict[int, int | None] = field(default_factory=dict)  # by area position
    moderated: dict[int, int | None] = field(default_factory=dict)
    qa_done: bool = False
    plan_finalised: bool = False
    actions: int = 0
    complete: int = 0
    overdue: int = 0
    triad_id: uuid.UUID | None = None

    @property
    def submitted(self) -> bool:
        return self.status in (EvaluationStatus.SUBMITTED, EvaluationStatus.SIGNED_OFF)


@dataclass
class Filters:
    """The view of the year the dashboard shows: a cluster, a phase, both, or neither (all schools)."""

    cluster_id: uuid.UUID | None = None
    phase: str | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            self.phase = None

    @property
    def any(self) -> bool:
        return self.cluster_id is not None or self.phase is not None

    @property
    def view(self) -> ViewKey:
        return (ANY if self.cluster_id is None else cluster_key(self.cluster_id), self.phase or ANY)

    def matches(self, school: SchoolFacts) -> bool:
        return ((self.cluster_id is None or school.cluster_id == self.cluster_id)
                and (self.phase is None or school.phase == self.phase))


# --- Ratings, a column per area ----------------------------------------------------------------------
# A framework's versions keep their areas' positions (a new version copies them), so the current
# framework's positions are every position a rating of the programme can have. The statements are built
# once for each set of positions and take the year (and the day) as parameters.

YEAR: BindParameter[Any] = bindparam("year_id")
TODAY: BindParameter[Any] = bindparam("today")
NOW: BindParameter[Any] = bindparam("now")


def _by_area(level: Any, positions: Sequence[int]) -> list[Any]:
    """A column per area position: the level, 0 for "not yet evaluated" (levels start at 1), NULL for no rating."""
    return [func.max(case((FrameworkArea.position == position, func.coalesce(level, 0)))).label(f"area_{position}")
            for position in positions]


def _levels(values: Sequence[int | None], positions: Sequence[int]) -> dict[int, int | None]:
    if values.count(None) == len(values):
        return {}
    return {position: value or None for position, value in zip(positions, values, strict=True)
            if value is not None}


def _self_ratings(positions: Sequence[int]) -> Subquery:
    """Each school's own rating in every area of its submitted self-evaluation, one row per school: the
    year's self-evaluations (by self_evaluation.year_id) and their ratings (by self_evaluation_id)."""
    return (select(SelfEvaluation.school_id, *_by_area(AreaRating.level, positions))
            .join(AreaRating, AreaRating.self_evaluation_id == SelfEvaluation.id)
            .join(FrameworkArea, FrameworkArea.id == AreaRating.area_id)
            .where(SelfEvaluation.year_id == YEAR, SelfEvaluation.status != EvaluationStatus.DRAFT)
            .group_by(SelfEvaluation.school_id).subquery("self_ratings"))


def _moderated_ratings(positions: Sequence[int]) -> Subquery:
    """The QA expert's rating in every area moderated, one row per school."""
    return (select(QAVisit.school_id, *_by_area(ModeratedRating.level, positions))
            .join(ModeratedRating, ModeratedRating.qa_visit_id == QAVisit.id)
            .join(FrameworkArea, FrameworkArea.id == ModeratedRating.area_id)
            .where(QAVisit.year_id == YEAR)
            .group_by(QAVisit.school_id).subquery("moderated_ratings"))


def _enrolled(*columns: Any) -> Select:
    """The year's enrolled schools, with `columns`."""
    return (select(Enrolment.school_id, School.name, School.phase, Enrolment.cluster_id, Enrolment.shared_with_lead,
                   School.last_send_review_on, *columns)
            .join(School, School.id == Enrolment.school_id).where(Enrolment.year_id == YEAR))


def _same_school(model: Any) -> Any:
    return and_(model.year_id == Enrolment.year_id, model.school_id == Enrolment.school_id)


@functools.lru_cache(maxsize=16)
def rated_statement(positions: tuple[int, ...]) -> Select:
    rated = _self_ratings(positions)
    return (_enrolled(*(rated.c[f"area_{p}"] for p in positions))
            .outerjoin(rated, rated.c.school_id == Enrolment.school_id))


def rated_schools(year: ProgrammeYear, positions: Sequence[int]) -> dict[uuid.UUID, SchoolFacts]:
    """The year's enrolled schools, each with its own rating in every area of its submitted self-evaluation
    (None: not yet evaluated), in one query."""
    return {school_id: SchoolFacts(school_id, name, phase_of(phase), cluster_id, shared, reviewed_on,
                                   levels=_levels(ratings, positions))
            for school_id, name, phase, cluster_id, shared, reviewed_on, *ratings in db.session.execute(
                rated_statement(tuple(positions)), {"year_id": year.id})}


# --- Everything else of the year ---------------------------------------------------------------------


def _finalised_actions() -> Subquery:
    """A finalised plan's live actions, counted: all, complete and overdue."""
    not_complete = Action.status != ActionStatus.COMPLETE
    return (select(ActionPlan.school_id, func.count(Action.id).label("total"),
                   func.sum(case((Action.status == ActionStatus.COMPLETE, 1), else_=0)).label("complete"),
                   func.sum(case(((Action.due_on < TODAY) & not_complete, 1), else_=0)).label("overdue"))
            .join(Action, Action.plan_id == ActionPlan.id)
            .where(ActionPlan.year_id == YEAR, ActionPlan.status == PlanStatus.FINALISED)
            .group_by(ActionPlan.school_id).subquery("finalised_actions"))


@functools.lru_cache(maxsize=16)
def year_statement(positions: tuple[int, ...]) -> Select:
    """One row per enrolled school: its self-evaluation's status and ratings, its QA visit and moderated
    ratings, its triad, and its plan (finalised at least once; its actions counted, or for a plan whose
    next version is in draft the last finalised version as kept)."""
    rated, moderated, actions = _self_ratings(positions), _moderated_ratings(positions), _finalised_actions()
    # A lookup per plan (LIMIT 1), never a scan of every plan's versions.
    ever_finalised = select(PlanVersion.number).where(PlanVersion.plan_id == ActionPlan.id).limit(1).scalar_subquery()
    kept = (select(PlanVersion.content)
            .where(PlanVersion.plan_id == ActionPlan.id, ActionPlan.status != PlanStatus.FINALISED)
            .order_by(PlanVersion.number.desc()).limit(1).scalar_subquery())
    return (_enrolled(SelfEvaluation.status, QAVisit.id.label("visit_id"), QAVisit.starts_at,
                      TriadMember.triad_id, ever_finalised.label("ever_finalised"), kept.label("kept"),
                      actions.c.total, actions.c.complete, actions.c.overdue,
                      *(rated.c[f"area_{p}"] for p in positions), *(moderated.c[f"area_{p}"] for p in positions))
            .outerjoin(SelfEvaluation, _same_school(SelfEvaluation))
            .outerjoin(QAVisit, _same_school(QAVisit))
            .outerjoin(TriadMember, _same_school(TriadMember))
            .outerjoin(ActionPlan, _same_school(ActionPlan))
            .outerjoin(rated, rated.c.school_id == Enrolment.school_id)
            .outerjoin(moderated, moderated.c.school_id == Enrolment.school_id)
            .outerjoin(actions, actions.c.school_id == Enrolment.school_id))


def _kept_actions(school: SchoolFacts, content: list[dict[str, Any]], today: date) -> None:
    kept = [ActionSnapshot.from_json(action) for action in content]
    done = completion(kept)
    school.actions, school.complete = done.total, done.complete
    school.overdue = sum(is_overdue(action, today) for action in kept)


def school_facts(year: ProgrammeYear, positions: Sequence[int], today: date) -> dict[uuid.UUID, SchoolFacts]:
    """Every enrolled school's year: its ratings, statuses, QA visit and the actions the lead may see
    (`action_plans.shared_actions`: a finalised plan's live actions, and for a plan whose next version is
    in draft the last finalised version as kept; a plan never finalised counts nothing)."""
    now, areas = clock.now(), len(positions)
    schools = {}
    for (school_id, name, phase, cluster_id, shared, reviewed_on, status, visit_id, starts_at, triad_id,
         ever_finalised, kept, total, complete, overdue, *ratings) in db.session.execute(
            year_statement(tuple(positions)), {"year_id": year.id, "today": today}):
        levels, moderated = _levels(ratings[:areas], positions), _levels(ratings[areas:], positions)
        schools[school_id] = school = SchoolFacts(
            school_id, name, phase_of(phase), cluster_id, shared, reviewed_on, status, levels, moderated,
            visit_id is not None and (bool(moderated) or (starts_at is not None and starts_at <= now)),
            ever_finalised is not None, triad_id=triad_id)
        if kept is not None:
            _kept_actions(school, kept, today)
        elif total is not None:
            school.actions, school.complete, school.overdue = total, complete or 0, overdue or 0
    return schools


@functools.cache
def _triads_statement() -> Select:
    held = select(func.count()).where(TriadMeeting.triad_id == Triad.id, TriadMeeting.held).scalar_subquery()
    visited = select(func.count()).where(PeerVisit.triad_id == Triad.id, PeerVisit.starts_at <= NOW).scalar_subquery()
    return select(Triad.id, Triad.name, held.label("held"), visited.label("visited")).where(Triad.year_id == YEAR)


def triads_of(year: ProgrammeYear) -> list[Any]:
    """The year's triads: id, name, meetings held and peer visits begun (one query)."""
    return list(db.session.execute(_triads_statement(), {"year_id": year.id, "now": clock.now()}))
