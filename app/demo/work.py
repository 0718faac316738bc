"""The steps of a demo year, each on its day: the services write each record as they would for a school,
then its moment is set from the demo's calendar (the services stamp the present). What is dated after
now is left as it would stand today: booked, not held; a draft, not submitted."""
from __future__ import annotations

from datetime import datetime, timedelta

from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    finalise_plan,
    record_progress,
    save_action,
    start_action_plan,
)
from app.celebration.service import LearningInput, save_learning, submit_celebration, tag_learning
from app.demo.northbrook import (
    LEARNINGS_SUBMITTED,
    LEARNINGS_TAGGED,
    LEARNINGS_WRITTEN,
    DemoAction,
    DemoLearning,
    DemoSchool,
    demo_email,
)
from app.demo.timeline import DemoYear, YearDay
from app.extensions import db
from app.frameworks.service import current_areas
from app.models import (
    EventKind,
    Learning,
    ModeratedRating,
    PeerVisit,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    User,
)
from app.self_evaluations.service import (
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)

People = dict[str, User]  # the demo's accounts by email
MEETING_AGENDAS = ("1. Share self-evaluations\n2. Draft action plans", "Review progress on action plans",
                   "Review the year and choose key learnings")
EVENTS = ((EventKind.LAUNCH, 9, "Meet your triad and plan the year."),
          (EventKind.CELEBRATION, 13, "Each triad shares up to three key learnings."))  # (kind, hour, details)


def head_of(people: People, school: DemoSchool) -> User:
    return people[demo_email(f"head.{school.slug}")]


def senco_of(people: People, school: DemoSchool) -> User:
    return people[demo_email(f"senco.{school.slug}")]


def write_self_evaluation(school: School, year: ProgrammeYear, levels: tuple[int, ...], head: User, senco: User,
                          submitted_at: datetime | None, signed_off_at: datetime | None) -> SelfEvaluation:
    """Rate the first len(levels) areas; submit (when every area is rated) and sign off at the moments given."""
    evaluation = start_self_evaluation(school, year)
    ratings = sorted(evaluation.ratings, key=lambda r: r.area.position)
    for rating, level in zip(ratings, levels, strict=False):
        save_area(rating, rating.version, {
            "level": level,
            "evidence": "Provision map reviewed each term; learning walks focused on adaptive teaching.",
            "strengths": "Staff know pupils' needs well and plan for them.",
            "development": "Make the monitoring of interventions more consistent.",
        })
    if submitted_at is None or len(levels) < len(ratings):
        return evaluation
    submit_self_evaluation(evaluation, senco)
    evaluation.submitted_at = submitted_at
    if signed_off_at is not None:
        sign_off_self_evaluation(evaluation, head)
        evaluation.signed_off_at = signed_off_at
    return evaluation


def write_qa_visit(year: DemoYear, evaluation: SelfEvaluation, expert: User, starts_at: datetime,
                   levels: tuple[int, ...]) -> None:
    """A QA visit booked for `starts_at`, with the moderated ratings once it has happened."""
    visit = QAVisit(year_id=evaluation.year_id, school_id=evaluation.school_id, expert=expert, starts_at=starts_at)
    if year.has_passed(starts_at) and not evaluation.is_draft:
        ratings = sorted(evaluation.ratings, key=lambda r: r.area.position)
        for rating, level in zip(ratings, levels, strict=False):
            visit.moderated.append(ModeratedRating(area_id=rating.area_id, level=level,
                                                   comment="Discussed with the SENCo at the visit."))
    db.session.add(visit)


def write_action_plan(year: DemoYear, school: School, programme_year: ProgrammeYear, head: User, senco: User,
                      actions: tuple[DemoAction, ...], finalised_at: datetime | None) -> None:
    """A plan of `actions`, finalised at `finalised_at` (a draft when None); once finalised, each action's
    progress notes whose day has come."""
    plan = start_action_plan(school, programme_year)
    areas = areas_for(plan)
    written = []
    for demo in actions:
        account = {"head": head, "senco": senco}.get(demo.owner)
        written.append((demo, save_action(plan, None, ActionInput(
            [areas[demo.area - 1].id], demo.description, str(account.id) if account else OTHER_OWNER,
            "" if account else demo.owner, year.day(demo.due), False, demo.success_criteria), areas, [head, senco])))
    if finalised_at is None:
        return
    # The task lists read when a plan was finalised from its last change, and progress from when it was noted.
    finalise_plan(plan, head).finalised_at = plan.updated_at = finalised_at
    for demo, action in written:
        for status, note, day in demo.progress:
            if year.has_passed(year.day(day)):
                update = record_progress(action, status, note, year.day(day), senco)
                update.created_at = update.updated_at = min(year.moment(year.day(day), 16), year.now)
    db.session.flush()


def write_triad_meetings(year: DemoYear, triad: Triad, hosts: list[School], moments: list[datetime],
                         notes: tuple[str, ...], attendees: list[User], online_link: str = "") -> None:
    """Meetings 1 to len(moments), hosted by the triad's schools in turn (meeting 2 online too when a link is
    given); each held, with its notes and who came, once its moment has passed, and booked until then."""
    for number, starts_at in enumerate(moments, start=1):
        host, held = hosts[(number - 1) % len(hosts)], year.has_passed(starts_at)
        db.session.add(TriadMeeting(
            triad_id=triad.id, number=number, starts_at=starts_at, duration_minutes=120, host_school_id=host.id,
            place=f"{host.name}, library", online_link=online_link if number == 2 else "",
            agenda=MEETING_AGENDAS[number - 1], held=held, notes=notes[number - 1] if held else "",
            attendees=attendees if held else []))


def write_events(year: DemoYear, programme_year: ProgrammeYear, days: tuple[YearDay, YearDay]) -> None:
    """The year's launch and celebration, on the days given, at the civic centre."""
    for (kind, hour, details), day in zip(EVENTS, days, strict=True):
        db.session.add(ProgrammeEvent(year_id=programme_year.id, kind=kind, starts_at=year.at(day, hour, 30),
                                      place="Northbrook Civic Centre", details=details))


def write_peer_visit(year: DemoYear, triad: Triad, visited: School, starts_at: datetime, focus_area_id,
                     notes: tuple[str, str, str], by: User) -> None:
    """The coach school's visit, with its notes (strengths, questions, next steps) the day after it happened."""
    written_at = starts_at + timedelta(days=1)
    done = year.has_passed(written_at)
    strengths, questions, next_steps = notes if done else ("", "", "")
    db.session.add(PeerVisit(
        triad_id=triad.id, visited_school_id=visited.id, starts_at=starts_at, duration_minutes=180,
        focus_area_id=focus_area_id, strengths=strengths, questions=questions, next_steps=next_steps,
        notes_by=by if done else None, notes_at=written_at if done else None))


def write_celebration(year: DemoYear, programme_year: ProgrammeYear, learnings: tuple[DemoLearning, ...],
                      coach_sencos: dict[str, User], lead: User) -> None:
    """Key learnings as they stand on the day: written from LEARNINGS_WRITTEN, the triads marked to submit
    submitted on LEARNINGS_SUBMITTED (by the coach school's SENCo), tagged by the lead on LEARNINGS_TAGGED."""
    if not year.has_passed(year.day(LEARNINGS_WRITTEN)):
        return
    triads = {t.name: t for t in programme_year.triads}
    areas = current_areas(programme_year.programme)
    tagged: list[tuple[Learning, tuple[int, int]]] = []
    for name, title, did, impact, next_steps, area_numbers, impact_areas, _submit, tags in learnings:
        learning = save_learning(triads[name], None, LearningInput(
            title, did, impact, next_steps, [a.id for a in areas if a.position in area_numbers],
            [a.value for a in impact_areas]), areas)
        if tags:
            tagged.append((learning, tags))
    submitted_at = year.passed(LEARNINGS_SUBMITTED, 16)
    if submitted_at is None:
        return
    for name in dict.fromkeys(name for name, *_, submit, _tags in learnings if submit):
        submit_celebration(triads[name], coach_sencos[name]).submitted_at = submitted_at
    tagged_at = year.passed(LEARNINGS_TAGGED, 10)
    if tagged_at is None:
        return
    for learning, (strength, breadth) in tagged:
        tag_learning(learning, strength, breadth, lead)
        learning.tagged_at = tagged_at
    db.session.flush()
