"""Self-evaluation rules: starting one, saving an area without losing anyone's text, submitting,
signing off and reopening."""
from __future__ import annotations

import enum
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload

from app.common import clock
from app.common.charts import PairedBarChart, paired_bars
from app.common.errors import DomainError
from app.common.versions import VersionConflict as VersionConflict  # what save_area raises
from app.common.versions import check_version, new_version
from app.extensions import db
from app.frameworks.service import current_framework
from app.models import (
    FLAG_GAP,
    AreaRating,
    Enrolment,
    EvaluationStatus,
    Framework,
    FrameworkArea,
    ModeratedRating,
    ProgrammeYear,
    QAVisit,
    Role,
    ScaleLevel,
    School,
    SelfEvaluation,
    User,
)
from app.programmes.service import enrolment_of
from app.self_evaluations import handoffs

TEXT_FIELDS = ("not_evaluated_reason", "evidence", "strengths", "development")
ANSWER_FIELDS = ("level", *TEXT_FIELDS)
# The level the area page sends for "not yet evaluated".
NOT_EVALUATED = "none"
AREA_CLASH = "Someone else saved this area while you were editing it. Choose which text to keep."


def start_self_evaluation(school: School, year: ProgrammeYear) -> SelfEvaluation:
    """A draft on the programme's current framework, with a rating for every area.

    A school returning from last year starts from last year's ratings and text, each area marked as
    carried forward until someone edits it.
    """
    existing = db.session.scalar(
        select(SelfEvaluation).where(SelfEvaluation.school_id == school.id, SelfEvaluation.year_id == year.id))
    if existing is not None:
        return existing
    year.require_open("no new self-evaluations can be started")
    enrolment_of(school, year)
    framework = current_framework(year.programme)
    if framework is None:
        raise DomainError("The programme has no framework yet. Ask your programme lead to set one up")
    last = previous_self_evaluation(school, year)
    carried = {r.area.position: r for r in last.ratings} if last else {}
    scale = {level.value for level in framework.scale}
    evaluation = SelfEvaluation(school=school, year=year, framework=framework)
    for area in framework.areas:
        rating = AreaRating(area=area)
        before = carried.get(area.position)
        if before is not None and (before.is_complete or any(getattr(before, name) for name in TEXT_FIELDS)):
            rating.level = before.level if before.level in scale else None
            for name in TEXT_FIELDS:
                setattr(rating, name, getattr(before, name))
            rating.carried_forward = True
        evaluation.ratings.append(rating)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def previous_self_evaluation(school: School, year: ProgrammeYear) -> SelfEvaluation | None:
    """The school's self-evaluation in the programme's most recent earlier year, with its ratings."""
    return db.session.scalar(
        _earlier_evaluations(school.id, year)
        .order_by(ProgrammeYear.start_year.desc())
        .limit(1)
        .options(selectinload(SelfEvaluation.ratings).selectinload(AreaRating.area),
                 selectinload(SelfEvaluation.year))
    )


def _earlier_evaluations(school_id: uuid.UUID, year: ProgrammeYear) -> Select[SelfEvaluation]:
    """The school's self-evaluations in the programme's years before `year`."""
    return (select(SelfEvaluation).join(ProgrammeYear, SelfEvaluation.year_id == ProgrammeYear.id)
            .where(SelfEvaluation.school_id == school_id, ProgrammeYear.programme_id == year.programme_id,
                   ProgrammeYear.start_year < year.start_year))


def _values(rating: AreaRating) -> dict:
    return {"level": rating.level, **{name: getattr(rating, name) for name in TEXT_FIELDS}}


def save_area(rating: AreaRating, expected_version: int, changes: dict,
              scale: Collection[int] | None = None) -> AreaRating:
    """Save an area's rating and text if nobody has saved it since `expected_version`. `scale` is the
    framework's values when the caller loaded them (autosave_target), else read from the framework.

    Raises VersionConflict (with both versions of the text) rather than overwrite another save.
    """
    check_editable(rating.self_evaluation)
    level = changes.get("level", rating.level)
    if scale is None:
        scale = {s.value for s in rating.self_evaluation.framework.scale}
    if level is not None and level not in scale:
        raise DomainError("Choose a rating from the scale", field="level")
    check_version(rating, expected_version, _values(rating), changes, AREA_CLASH)
    with new_version(rating, lambda: _values(rating), changes, AREA_CLASH):
        for name, value in changes.items():
            if name == "level" or name in TEXT_FIELDS:
                setattr(rating, name, value)
        rating.carried_forward = False
    return rating


def area_changes(level: str | None, texts: Mapping[str, str | None], *, strict: bool) -> dict:
    """An area's new values from what its page sent: `level` is a value on the scale, NOT_EVALUATED or
    blank, and `texts` the reason and the three texts. With `strict` (the Save buttons), "not yet
    evaluated" needs a reason; autosave keeps what is typed so far."""
    chosen = (level or "").strip()
    not_evaluated = chosen == NOT_EVALUATED
    if not chosen or not_evaluated:
        value = None
    elif chosen.isdecimal() and len(chosen) < 19:
        value = int(chosen)
    else:
        raise DomainError("Choose a rating from the scale", field="level")
    reason = texts.get("not_evaluated_reason") or ""
    if not_evaluated and strict and not reason.strip():
        raise DomainError("Enter why this area is not yet evaluated", field="not_evaluated_reason")
    return {"level": value, "not_evaluated_reason": reason if not_evaluated else "",
            **{name: texts.get(name) or "" for name in ("evidence", "strengths", "development")}}


def save_answers(rating: AreaRating, expected_version: int, level: str | None, texts: Mapping[str, str | None],
                 *, strict: bool, keep_theirs: Iterable[str] = (), scale: Collection[int] | None = None) -> AreaRating:
    """Save what the area page (or its autosave) sent, by save_area's rules. `keep_theirs` names the
    answers for which the person chose, after a conflict, the version already saved."""
    changes = area_changes(level, texts, strict=strict)
    for name in keep_theirs:
        if name in ANSWER_FIELDS:
            changes[name] = getattr(rating, name)
    return save_area(rating, expected_version, changes, scale)


def autosave_target(evaluation: SelfEvaluation, position: int) -> tuple[AreaRating, set[int]] | None:
    """All an autosave loads besides the evaluation, in one query whatever the framework's size: the
    area's rating with its year (all check_editable reads), once per value on the scale (all the
    level rule reads)."""
    rows = db.session.execute(
        select(AreaRating, ScaleLevel.value)
        .join(FrameworkArea, FrameworkArea.id == AreaRating.area_id)
        .join(AreaRating.self_evaluation).join(SelfEvaluation.year)
        .outerjoin(ScaleLevel, ScaleLevel.framework_id == SelfEvaluation.framework_id)
        .where(AreaRating.self_evaluation_id == evaluation.id, FrameworkArea.position == position)
        .options(contains_eager(AreaRating.self_evaluation).contains_eager(SelfEvaluation.year))
    ).all()
    if not rows:
        return None
    return rows[0][0], {value for _, value in rows if value is not None}


def _check_year_open(evaluation: SelfEvaluation) -> None:
    evaluation.year.require_open("its self-evaluations can no longer be changed")


def check_editable(evaluation: SelfEvaluation, by: User | None = None) -> None:
    """Refuse a change to a self-evaluation that is not a draft, saying why and what can be done:
    the head (`by`, when they are the one asking) can reopen it; nobody can once the year is closed."""
    _check_year_open(evaluation)
    if not evaluation.is_draft:
        state = "signed off" if evaluation.is_signed_off else "submitted"
        raise DomainError(f"This self-evaluation has been {state}, so it can no longer be changed. "
                          + ("You can reopen it to make changes." if by and _is_head(evaluation, by)
                             else "Your headteacher can reopen it."))


def incomplete_areas(evaluation: SelfEvaluation) -> list[FrameworkArea]:
    return sorted((r.area for r in evaluation.ratings if not r.is_complete), key=lambda area: area.position)


def submit_self_evaluation(evaluation: SelfEvaluation, by: User) -> None:
    """Submit for sign-off; refused while an area has neither a rating nor a reason it is not evaluated."""
    _check_year_open(evaluation)
    if not evaluation.is_draft:
        raise DomainError("This self-evaluation has already been submitted")
    missing = incomplete_areas(evaluation)
    if missing:
        names = "; ".join(f"{area.position}. {area.title}" for area in missing)
        raise DomainError(f"Rate every area, or mark it not yet evaluated with a reason. Still to do: {names}")
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_by_id = by.id
    evaluation.submitted_at = clock.now()
    handoffs.submitted(evaluation, by)


def load_self_evaluation(evaluation_id: uuid.UUID) -> SelfEvaluation | None:
    """A self-evaluation with its ratings, areas, prompts and scale, in a fixed number of queries."""
    return db.session.scalar(
        select(SelfEvaluation).where(SelfEvaluation.id == evaluation_id)
        .options(
            selectinload(SelfEvaluation.ratings).selectinload(AreaRating.area).selectinload(FrameworkArea.prompts),
            selectinload(SelfEvaluation.framework).selectinload(Framework.scale),
        )
    )


def _is_head(evaluation: SelfEvaluation, user: User) -> bool:
    return any(r.role == Role.HEAD and r.school_id == evaluation.school_id for r in user.roles)


def _check_head(evaluation: SelfEvaluation, user: User, action: str) -> None:
    if not _is_head(evaluation, user):
        raise DomainError(f"Only the school's headteacher can {action} the self-evaluation")


def sign_off_self_evaluation(evaluation: SelfEvaluation, head: User) -> None:
    """The head signs off a submitted self-evaluation; it is then read-only."""
    _check_head(evaluation, head, "sign off")
    _check_year_open(evaluation)
    if not evaluation.awaits_sign_off:
        raise DomainError("Only a submitted self-evaluation can be signed off")
    evaluation.status = EvaluationStatus.SIGNED_OFF
    evaluation.signed_off_by_id = head.id
    evaluation.signed_off_at = clock.now()
    handoffs.signed_off(evaluation, head)


def reopen_self_evaluation(evaluation: SelfEvaluation, head: User, reason: str) -> None:
    """The head reopens a submitted or signed-off self-evaluation for editing, saying why."""
    _check_head(evaluation, head, "reopen")
    _check_year_open(evaluation)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why you are reopening the self-evaluation", field="reason")
    if evaluation.is_draft:
        raise DomainError("This self-evaluation is already open for editing")
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.reopened_reason = reason
    evaluation.signed_off_by_id = None
    evaluation.signed_off_at = None
    handoffs.reopened(evaluation, head)


class AreaProgress(enum.StrEnum):
    """How far the school has got with an area, as the overview's task list says it."""

    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass
class AreaRow:
    """One framework area on the self-evaluation page: the school's rating beside the moderated one."""

    area: FrameworkArea
    rating: AreaRating
    moderated: ModeratedRating | None

    @property
    def flagged(self) -> bool:
        return is_flagged(self.rating, self.moderated)

    @property
    def progress(self) -> AreaProgress:
        """Completed when rated (or not yet evaluated, with a reason); in progress once anything is saved for
        it, autosave's text included; otherwise not yet started."""
        if self.rating.is_complete:
            return AreaProgress.COMPLETED
        if any((getattr(self.rating, name) or "").strip() for name in TEXT_FIELDS):
            return AreaProgress.IN_PROGRESS
        return AreaProgress.NOT_STARTED


@dataclass
class EvaluationPage:
    evaluation: SelfEvaluation
    rows: list[AreaRow]
    visit: QAVisit | None
    shared_with_lead: bool
    names: dict[uuid.UUID, str]
    sharing_decided: bool = False  # the head has chosen, either way
    has_last_year: bool = False  # the school has a self-evaluation in an earlier year of the programme

    @property
    def done(self) -> int:
        return sum(row.rating.is_complete for row in self.rows)

    def level_text(self, level: int | None) -> str:
        """A level as "3 Established", in the labels of the framework version the school used."""
        labels = {scale.value: scale.label for scale in self.evaluation.framework.scale}
        return f"{level} {labels.get(level, '')}".strip() if level is not None else ""

    def row(self, position: int) -> AreaRow | None:
        return next((row for row in self.rows if row.area.position == position), None)

    def next_position(self, position: int) -> int | None:
        later = [row.area.position for row in self.rows if row.area.position > position]
        return min(later) if later else None

    @property
    def is_moderated(self) -> bool:
        return any(row.moderated is not None for row in self.rows)

    def ratings_chart(self) -> PairedBarChart:
        """The school's own and the QA expert's rating per area: the same chart on the page and in the
        governing body's report."""
        scale = [level.value for level in self.evaluation.framework.scale] or [1]
        school = self.evaluation.school.name
        return paired_bars(
            "ratings", f"{school}: self and moderated ratings by area",
            f"For each of the {len(self.rows)} areas, the school's own rating and the QA expert's moderated rating, "
            f"on a scale of {min(scale)} to {max(scale)}. The figures are also given in words for each area.",
            ("Self", "Moderated"), max(scale),
            [(f"{row.area.position}. {row.area.title}",
              (row.rating.level, self.level_text(row.rating.level) or "Not yet evaluated"),
              (row.moderated.level if row.moderated else None,
               self.level_text(row.moderated.level if row.moderated else None) or "Not moderated"))
             for row in self.rows])


def is_flagged(rating: AreaRating | None, moderated: ModeratedRating | None) -> bool:
    """Self and moderated ratings two or more levels apart."""
    if rating is None or moderated is None or rating.level is None or moderated.level is None:
        return False
    return abs(rating.level - moderated.level) >= FLAG_GAP


def evaluation_page(evaluation_id: uuid.UUID) -> EvaluationPage | None:
    """Everything the self-evaluation pages show, in a fixed number of queries."""
    evaluation = db.session.scalar(
        select(SelfEvaluation).where(SelfEvaluation.id == evaluation_id)
        .options(
            selectinload(SelfEvaluation.ratings).selectinload(AreaRating.area).selectinload(FrameworkArea.prompts),
            selectinload(SelfEvaluation.framework).selectinload(Framework.scale),
            selectinload(SelfEvaluation.school),
            selectinload(SelfEvaluation.year).selectinload(ProgrammeYear.programme),
        )
    )
    if evaluation is None:
        return None
    visit = db.session.scalar(
        select(QAVisit).where(QAVisit.school_id == evaluation.school_id, QAVisit.year_id == evaluation.year_id)
        .options(selectinload(QAVisit.moderated), selectinload(QAVisit.expert))
    )
    moderated = {m.area_id: m for m in visit.moderated} if visit else {}
    shared, decided, earlier = db.session.execute(select(*_sharing_and_last_year(evaluation))).one()
    people = {evaluation.submitted_by_id, evaluation.signed_off_by_id} - {None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(people))).all()) if people else {}
    rows = sorted((AreaRow(r.area, r, moderated.get(r.area_id)) for r in evaluation.ratings),
                  key=lambda row: row.area.position)
    return EvaluationPage(evaluation, rows, visit, bool(shared), names, decided is not None, bool(earlier))


def _sharing_and_last_year(evaluation: SelfEvaluation) -> tuple[Any, Any, Any]:
    """Whether the school shares with the lead, when it decided, and whether it has an earlier year's
    self-evaluation: three columns of one statement."""
    enrolment = (Enrolment.school_id == evaluation.school_id, Enrolment.year_id == evaluation.year_id)
    return (select(Enrolment.shared_with_lead).where(*enrolment).scalar_subquery(),
            select(Enrolment.sharing_decided_at).where(*enrolment).scalar_subquery(),
            _earlier_evaluations(evaluation.school_id, evaluation.year).exists())


def evaluations_in_year(school_ids: list[uuid.UUID], year_id: uuid.UUID) -> dict[uuid.UUID, SelfEvaluation]:
    """The year's self-evaluations of these schools, by school."""
    return {e.school_id: e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_(school_ids), SelfEvaluation.year_id == year_id))}
