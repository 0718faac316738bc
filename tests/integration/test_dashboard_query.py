"""What the locality dashboard asks the database: its ratings are read through the year's self-evaluations
(a lookup by year an index serves), so its cost follows the programme, not every school in the database;
and its statements are the same however many schools the programme, and every other programme, has."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import has_request_context
from sqlalchemy import event, text

from app.common import clock
from app.dashboard.facts import rated_statement, year_statement
from app.extensions import db
from app.models import ActionStatus, EvaluationStatus, Role
from tests import factories
from tests.locality import moderate, plan, rate


def programme_of(triads: int, name: str = "A"):
    """A year of `triads` triads, every school rated, some moderated, with plans, and the year before."""
    programme = factories.make_programme_with_framework()
    last, year = factories.make_year(programme, start_year=2024), factories.make_year(programme, start_year=2025)
    lead = factories.make_user(Role.PROGRAMME_LEAD, programme=programme)
    expert = factories.make_user(Role.QA_EXPERT, programme=programme)
    cluster = factories.make_cluster(programme, f"{name} cluster")
    for number in range(1, triads + 1):
        schools = [factories.make_school(name=f"{name} school {number}-{n}", phase="Primary" if n < 3 else "Secondary")
                   for n in range(1, 4)]
        factories.enrol(last, *schools)
        factories.enrol(year, *schools, cluster=cluster if number % 2 else None)
        factories.make_triad(year, schools, name=f"Triad {number}")
        for index, school in enumerate(schools):
            rate(last, school, [2] * 8)
            rate(year, school, [index + 2] * 8, EvaluationStatus.SIGNED_OFF if index else EvaluationStatus.SUBMITTED)
            plan(year, school, [(ActionStatus.ON_TRACK, clock.today() + timedelta(days=30))], finalised=index != 2,
                 by=lead)
        moderate(year, schools[0], [3] * 8, expert, visited_on=date(2026, 1, 5))
    return last, year, lead


@contextmanager
def statements_run() -> Iterator[list[tuple[str, object]]]:
    """Every SQL statement requests send meanwhile, with its parameters."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if has_request_context():
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _names(parameters: object, year_id) -> bool:
    """Whether the statement's parameters hold the year's id (PostgreSQL binds a UUID, SQLite its hex)."""
    values = parameters.values() if isinstance(parameters, dict) else parameters
    return any(str(value).replace("-", "") == year_id.hex for value in values or ())


def dashboard_statements(client_request, year) -> list[tuple[str, object]]:
    """The statements the dashboard page sends (not the test transaction's savepoints), as the header counts."""
    with statements_run() as seen:
        client_request.get("dashboard.show", year_id=year.id)
    queries = [(sql, parameters) for sql, parameters in seen
               if not sql.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA"))]
    assert len(queries) == client_request.last_statements
    return queries


def test_the_dashboard_reads_ratings_only_through_the_year_s_self_evaluations(client_request, session):
    last, year, lead = programme_of(2)
    client_request.sign_in(lead)
    reading_ratings = [(sql, parameters) for sql, parameters in dashboard_statements(client_request, year)
                       if "area_rating" in sql]
    assert len(reading_ratings) == 2  # this year's and last year's
    for sql, _ in reading_ratings:
        assert "JOIN area_rating ON area_rating.self_evaluation_id = self_evaluation.id" in sql
        assert "self_evaluation.year_id = " in sql
    assert [_names(parameters, year.id) for _, parameters in reading_ratings] == [True, False]
    assert [_names(parameters, last.id) for _, parameters in reading_ratings] == [False, True]


def _plan(statement, **parameters) -> str:
    """The statement's query plan, as the database would run it with sequential scans discouraged: what it
    can find by an index, it finds by an index."""
    sql = str(statement.params(**parameters).compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        try:
            return "\n".join(db.session.execute(text(f"EXPLAIN {sql}")).scalars())
        finally:
            db.session.execute(text("RESET enable_seqscan"))
    return "\n".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def test_the_year_s_ratings_are_found_by_an_index_not_a_scan_of_every_rating(session):
    last, year, _ = programme_of(1)
    positions = tuple(range(1, 9))
    for query_plan in (_plan(year_statement(positions), year_id=year.id, today=clock.today()),
                       _plan(rated_statement(positions), year_id=last.id)):
        assert "area_rating" in query_plan
        assert "Seq Scan on area_rating" not in query_plan and "SCAN area_rating" not in query_plan, query_plan


def test_the_dashboard_asks_the_same_whatever_else_the_database_holds(client_request, session):
    _, small, lead = programme_of(2, "A")
    client_request.sign_in(lead)
    before = [sql for sql, _ in dashboard_statements(client_request, small)]
    _, big, big_lead = programme_of(12, "B")  # another programme, six times the size
    assert [sql for sql, _ in dashboard_statements(client_request, small)] == before
    client_request.sign_in(big_lead)
    assert [sql for sql, _ in dashboard_statements(client_request, big)] == before
