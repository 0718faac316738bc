"""The demo programme `make run` loads, the scale data for benchmarks, and the seed-demo command."""
from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Integer, cast, event, func, select
from werkzeug.security import check_password_hash

from app.common import clock
from app.common.errors import DomainError
from app.demo.northbrook import DEMO_PASSWORD, demo_logins
from app.demo.programme import database_is_empty, is_demo_loaded, load_demo_programme
from app.demo.scale import CHUNK_ROWS, INSERT_TABLES, generate_scale_data
from app.extensions import db
from app.models import (
    AuditEvent,
    Enrolment,
    Organisation,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    Triad,
    TriadMember,
    User,
)
from tests.factories import make_organisation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def triad_shapes() -> Counter:
    """How many triads have each (members, coaches) shape."""
    rows = db.session.execute(
        select(func.count(TriadMember.id), func.sum(cast(TriadMember.is_coach, Integer)))
        .group_by(TriadMember.triad_id)
    )
    return Counter((members, coaches) for members, coaches in rows)


def schools_lacking(role: Role) -> int:
    holders = select(RoleAssignment.school_id).where(RoleAssignment.role == role)
    return db.session.scalar(select(func.count(School.id)).where(School.id.not_in(holders)))


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    statements: list[str] = []
    here = threading.get_ident()  # only this thread's: a server or scheduler thread left by another test is not ours

    def record(_conn, _cursor, statement, _params, _context, _many):
        if threading.get_ident() == here and not statement.lstrip().upper().startswith(
                ("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# The demo as loaded on 3 December 2026 (in 2026/27, with 2025/26 closed) and on 20 July 2027.
DECEMBER = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
JULY = datetime(2027, 7, 20, 12, tzinfo=timezone.utc)


def current_year() -> ProgrammeYear:
    return db.session.scalars(select(ProgrammeYear).where(ProgrammeYear.is_closed.is_(False))).one()


def load_on(moment: datetime) -> None:
    with clock.frozen_at(moment):
        load_demo_programme()


# --- The demo programme ----------------------------------------------------------------------------


def test_demo_has_twelve_schools_in_four_triads_this_year_and_nine_in_three_last_year(session):
    load_demo_programme()
    last, this = db.session.scalars(select(ProgrammeYear).order_by(ProgrammeYear.start_year))
    assert count(School) == 12
    assert count(Enrolment) == 12 + 9
    assert sorted(triad.name for triad in this.triads) == ["Triad A", "Triad B", "Triad C", "Triad D"]
    assert sorted(triad.name for triad in last.triads) == ["Triad A", "Triad B", "Triad C"]
    assert triad_shapes() == Counter({(3, 1): 4 + 3})
    members = db.session.scalars(select(TriadMember).join(TriadMember.triad)).all()
    assert all(member.year_id == member.triad.year_id for member in members)


def test_demo_gives_every_school_a_head_and_a_senco(session):
    load_demo_programme()
    assert schools_lacking(Role.HEAD) == 0
    assert schools_lacking(Role.SENCO) == 0


def test_demo_programme_is_in_the_current_year_with_last_year_closed_and_a_lead_and_a_qa_expert(session):
    load_on(DECEMBER)
    [programme] = db.session.scalars(select(Programme))
    assert programme.organisation.name == "Northbrook Borough Council"
    years = sorted(programme.years, key=lambda year: year.start_year)
    assert [(year.label, year.is_closed) for year in years] == [("2025/26", True), ("2026/27", False)]
    programme_roles = db.session.scalars(
        select(RoleAssignment.role).where(RoleAssignment.programme_id == programme.id)
    ).all()
    assert sorted(programme_roles) == [Role.PROGRAMME_LEAD, Role.QA_EXPERT]


def test_every_demo_login_signs_in_with_the_demo_password(session):
    logins = load_demo_programme()
    emails = [email for _role, _name, email in logins]
    users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    assert len(users) == len(emails) == 12 * 2 + 4
    assert all(email.endswith("@northbrook.example") for email in emails)
    hashes = {user.password_hash for user in users}  # one hash for them all (checking each takes a second)
    assert all(check_password_hash(password_hash, DEMO_PASSWORD) for password_hash in hashes)


def test_demo_changes_are_audited_as_the_system(session):
    load_demo_programme()
    events = db.session.scalars(select(AuditEvent)).all()
    assert {event.entity_type for event in events} >= {"Organisation", "School", "Triad", "TriadMember", "User"}
    assert {event.actor_id for event in events} == {None}


def test_loading_the_demo_twice_is_refused(session):
    load_demo_programme()
    with pytest.raises(DomainError, match="Demo data already loaded"):
        load_demo_programme()
    assert count(School) == 12


def test_the_database_is_empty_until_an_organisation_is_added(session):
    assert database_is_empty()
    make_organisation()
    assert not database_is_empty()
    assert not is_demo_loaded()


# --- The seed-demo command -------------------------------------------------------------------------


def test_seed_demo_if_empty_loads_once_and_prints_the_logins_both_times(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    counts = (count(School), count(Triad), count(User))
    second = runner.invoke(args=["seed-demo", "--if-empty"])

    assert second.exit_code == 0, second.output
    assert (count(School), count(Triad), count(User)) == counts == (12, 4 + 3, 28)
    assert "Demo data already loaded" not in first.output
    assert "Demo data already loaded" in second.output
    for output in (first.output, second.output):
        assert DEMO_PASSWORD in output
        assert all(email in output for _role, _name, email in demo_logins())


def test_seed_demo_without_if_empty_does_not_load_the_demo_twice(app, session):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data already loaded" in result.output
    assert count(School) == 12


def test_seed_demo_if_empty_leaves_a_database_in_use_alone(app, session):
    make_organisation("Someshire Council")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert count(Organisation) == 1


def test_seed_demo_with_schools_adds_scale_data_beside_the_demo(app, session):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["seed-demo", "--schools", "30"])
    assert result.exit_code == 0, result.output
    assert count(School) == 12 + 30
    assert "school" in result.output and "30" in result.output


def test_seed_demo_with_schools_and_if_empty_adds_nothing_to_a_database_in_use(app, session):
    make_organisation()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--schools", "30", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert count(School) == 0


def test_seed_demo_refuses_too_many_schools(app, session):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--schools", "25001"])
    assert result.exit_code != 0
    assert count(School) == 0


# --- Scale data ------------------------------------------------------------------------------------


def test_scale_data_makes_the_schools_asked_for_over_the_current_year_and_two_before(session):
    with clock.frozen_at(DECEMBER):
        summary = generate_scale_data(60)
    assert count(School) == summary["school"] == 60
    enrolled = db.session.execute(
        select(ProgrammeYear.start_year, ProgrammeYear.is_closed, func.count(Enrolment.id)).join(Enrolment.year)
        .group_by(ProgrammeYear.start_year, ProgrammeYear.is_closed).order_by(ProgrammeYear.start_year)
    ).all()
    assert enrolled == [(2024, True, 30), (2025, True, 45), (2026, False, 60)]


def test_scale_data_loaded_on_1_september_notes_no_progress_after_today(session):
    from app.models import ProgressUpdate

    with clock.frozen_at(datetime(2026, 9, 1, 8, tzinfo=timezone.utc)):
        generate_scale_data(60)
    noted = db.session.scalars(select(ProgressUpdate.noted_on).join(ProgressUpdate.action)).all()
    assert noted and max(noted) == date(2026, 9, 1)  # the current year's, on its first day


def test_scale_triads_have_three_members_and_one_coach(session):
    generate_scale_data(60)
    assert triad_shapes() == Counter({(3, 1): 10 + 15 + 20})


def test_scale_data_gives_every_school_a_head_and_a_senco_and_every_programme_a_lead(session):
    generate_scale_data(60)
    assert schools_lacking(Role.HEAD) == 0
    assert schools_lacking(Role.SENCO) == 0
    leads = select(RoleAssignment.programme_id).where(RoleAssignment.role == Role.PROGRAMME_LEAD)
    assert db.session.scalar(select(func.count(Programme.id)).where(Programme.id.not_in(leads))) == 0


def test_scale_data_spreads_many_schools_over_several_organisations(session):
    generate_scale_data(1_200)
    assert count(Organisation) == 3
    assert count(ProgrammeYear) == 9


def test_scale_data_is_additive(session):
    first = generate_scale_data(30, seed=7)
    second = generate_scale_data(30, seed=7)
    # The same shape again; how far each self-evaluation has got is drawn at random.
    drawn = {"self_evaluation", "area_rating", "qa_visit", "moderated_rating", "action_plan", "action_plan_version",
             "plan_action", "action_area", "progress_update", "celebration_submission", "learning", "learning_area"}
    assert {k: v for k, v in first.items() if k not in drawn} == {k: v for k, v in second.items() if k not in drawn}
    assert count(School) == 60
    assert count(Organisation) == 2


def test_scale_data_is_inserted_in_chunks_not_row_by_row(session):
    with counting_statements() as statements:
        inserted = generate_scale_data(600)
    inserts = Counter(s.split()[2] for s in statements if s.lstrip().upper().startswith("INSERT"))
    assert set(inserts) == {table.name for table in INSERT_TABLES}
    assert inserts == {table: math.ceil(rows / CHUNK_ROWS) for table, rows in inserted.items()}
    others = [s.split("\n")[0] for s in statements if not s.lstrip().upper().startswith("INSERT")]
    assert len(others) == 2, others  # the two look-ups before inserting


def test_scale_data_bypasses_the_audit_trail(session):
    generate_scale_data(30)
    assert count(AuditEvent) == 0


def test_scale_data_refuses_more_schools_than_it_is_built_for(session):
    with pytest.raises(DomainError, match="between 1 and 25,000"):
        generate_scale_data(25_001)


def test_scale_data_has_a_framework_per_programme_and_self_evaluations_to_measure(session):
    from app.models import AreaRating, EvaluationStatus, Framework, ModeratedRating, SelfEvaluation

    generate_scale_data(60)
    assert count(Framework) == count(Programme) == 1
    evaluations = db.session.scalars(select(SelfEvaluation)).all()
    assert count(AreaRating) == 8 * len(evaluations)
    closed = {y.id for y in db.session.scalars(select(ProgrammeYear).where(ProgrammeYear.is_closed))}
    assert all(e.status == EvaluationStatus.SIGNED_OFF for e in evaluations if e.year_id in closed)
    assert count(ModeratedRating) > 0


def test_the_demo_has_self_evaluations_at_each_stage(session):
    from app.models import EvaluationStatus, SelfEvaluation

    load_on(DECEMBER)
    statuses = Counter((e.year.is_closed, e.status) for e in db.session.scalars(select(SelfEvaluation)))
    assert statuses == Counter({(False, EvaluationStatus.SIGNED_OFF): 7, (False, EvaluationStatus.SUBMITTED): 4,
                                (False, EvaluationStatus.DRAFT): 1, (True, EvaluationStatus.SIGNED_OFF): 9})


def test_the_demo_gives_the_lead_a_dashboard_and_a_celebration_to_look_at(session):
    from app.celebration.service import year_celebration
    from app.dashboard.figures import locality_dashboard

    load_on(JULY)
    year = current_year()
    with clock.frozen_at(JULY):
        dashboard = locality_dashboard(year)
    assert dashboard.enough and dashboard.enough_moderated  # charts to draw, not only "fewer than 3"
    assert dashboard.strengths.named and dashboard.support.named and dashboard.support.others
    assert {t.triad.name: t.status for t in year_celebration(year)} == {
        "Triad A": "Submitted", "Triad B": "Being written", "Triad C": "Submitted", "Triad D": "Not started"}


def test_the_demo_has_a_finalised_action_plan_with_progress_and_a_draft(session):
    from app.models import ActionPlan, PlanStatus, ProgressUpdate

    load_on(DECEMBER)
    year = current_year()
    plans = {p.school.name: p for p in db.session.scalars(select(ActionPlan).where(ActionPlan.year_id == year.id))}
    assert plans["Alder Grove Primary School"].status == PlanStatus.FINALISED
    assert plans["Birchwood Lane Primary School"].status == PlanStatus.DRAFT
    assert [update.note for action in plans["Alder Grove Primary School"].actions for update in action.updates] == [
        "Two governors trained in November; the rest are booked for January"]  # the later notes are to come
    assert count(ProgressUpdate) == 1 + 9 * 3  # and last year's plans are done


def test_the_demo_north_cluster_has_its_leads_meetings_and_review_dates(session):
    from app.clusters.service import review_status
    from app.models import Cluster, ClusterMeeting, Term

    load_on(DECEMBER)
    north = db.session.scalar(select(Cluster).where(Cluster.name == "North cluster"))
    assert (north.lead_head.name, north.primary_senco.name, north.secondary_senco.name) == (
        "Helen Marsh", "Tom Okafor", "Aisha Rahman")
    leads = db.session.scalars(select(User.name).join(RoleAssignment, RoleAssignment.user_id == User.id)
                               .where(RoleAssignment.role == Role.CLUSTER_LEAD, RoleAssignment.cluster_id == north.id))
    assert sorted(leads) == ["Aisha Rahman", "Helen Marsh", "Maya Thornton", "Tom Okafor"]
    meetings = {m.term: m for m in db.session.scalars(select(ClusterMeeting))}
    assert set(meetings) == {Term.AUTUMN, Term.SPRING}
    assert meetings[Term.AUTUMN].held and meetings[Term.AUTUMN].notes and not meetings[Term.SPRING].held
    # In the demo year some reviews are overdue, some due and some up to date.
    mid_year = date(2027, 1, 15)
    in_the_demo_year = {review_status(s.last_send_review_on, mid_year) for s in db.session.scalars(select(School))}
    assert in_the_demo_year == {"Overdue", "Due", "Up to date", "Not recorded"}
