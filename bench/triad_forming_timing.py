"""Time forming triads at scale (issue 17): step 1 (search and choose), step 2 (name and coach) and the
suggestions page, through the Flask test client as the programme lead, with each page's SQL statements
and size, for the open year of the biggest scale programme (500 schools) and for a 100-school one.

    .venv/bin/python bench/triad_forming_timing.py              # seeds 2000 schools in a temporary SQLite file
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/send_triads_bench \
        .venv/bin/python bench/triad_forming_timing.py

The scale data puts every school of a year in a triad, so the lead's real moment (a new year, none formed
yet) is made first: the programme's next academic year with every school of the open one enrolled again,
in its cluster, and no triads; its schools are all returning. A 100-school copy (its first 100 schools by
URN, in a programme of its own) is the smaller size. With DATABASE_URL both stay in the named database for
the next run. Writes its table into bench/README.md. Not part of the test run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SMALL = 100


def _next_year(year, schools: int | None = None):
    """The programme's next year (or, with `schools`, a new programme's, led by the same lead) with the open
    year's schools enrolled again, the first `schools` of them by URN when given, and no triads. Made
    once: a second run finds it."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Enrolment, Programme, ProgrammeYear, Role, RoleAssignment, School

    programme = year.programme
    if schools is not None:
        name = f"{programme.name} ({schools} schools)"
        lead = db.session.scalar(select(RoleAssignment).where(RoleAssignment.role == Role.PROGRAMME_LEAD,
                                                              RoleAssignment.programme_id == year.programme_id))
        programme = db.session.scalar(select(Programme).where(Programme.name == name))
        if programme is None:
            programme = Programme(organisation=year.programme.organisation, name=name)
            lead.user.roles.append(RoleAssignment(role=Role.PROGRAMME_LEAD, programme=programme))
    found = db.session.scalar(select(ProgrammeYear).where(ProgrammeYear.programme_id == programme.id,
                                                          ProgrammeYear.start_year == year.start_year + 1))
    if found is not None:
        return found, len(found.enrolments)
    new = ProgrammeYear(programme=programme, start_year=year.start_year + 1)
    db.session.add(new)
    rows = db.session.execute(select(Enrolment.school_id, Enrolment.cluster_id).join(School)
                              .where(Enrolment.year_id == year.id).order_by(School.urn).limit(schools)).all()
    db.session.add_all(Enrolment(year=new, school_id=school_id, cluster_id=None if schools else cluster_id)
                       for school_id, cluster_id in rows)
    db.session.commit()
    return new, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from flask import g
    from sqlalchemy import select

    from app.auth.sign_in import start_session
    from app.extensions import db
    from app.models import Role, RoleAssignment, User
    from app.programmes.triads import SchoolFilters, search_schools, suggested_triads
    from bench.scale_app import scale_app
    from bench.server import machine, publish

    started_at = machine()
    with scale_app(args.schools, RECORD_QUERIES=True) as (app, open_year, _triads):
        lead = db.session.scalar(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
            RoleAssignment.role == Role.PROGRAMME_LEAD, RoleAssignment.programme_id == open_year.programme_id))
        years = [_next_year(open_year), _next_year(open_year, SMALL)]
        session_id = start_session(lead)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session.update(sid=str(session_id), _user_id=lead.get_id(), _fresh=True, seen_at=time.time())

        def timed(work) -> float:
            times = []
            for _ in range(args.repeat):
                db.session.expire_all()
                started = time.perf_counter()
                work()
                times.append(time.perf_counter() - started)
            return 1000 * statistics.median(times)

        rows = []
        for year, size in years:
            ids = [str(row.school.id) for row in search_schools(year, SchoolFilters(), 1).rows[:3]]
            pages = [
                ("step 1: not yet in a triad, page 1", f"/years/{year.id}/triads/new"),
                ("step 1: all schools, a middle page, 2 chosen",
                 f"/years/{year.id}/triads/new?show=all&page={size // 40 or 1}&school={ids[0]}&school={ids[1]}"),
                ("step 1: search by name", f"/years/{year.id}/triads/new?q=primary"),
                ("step 2: three chosen", f"/years/{year.id}/triads/new/details?school={'&school='.join(ids)}"),
                ("suggested triads", f"/years/{year.id}/triads/suggestions"),
                ("suggested triads, mixed phases, page 2", f"/years/{year.id}/triads/suggestions?mixed=y&page=2"),
            ]
            for label, url in pages:
                measured = {}

                def page(url=url, measured=measured) -> None:
                    g.pop("sql_statements", None)  # the bench's app context outlives each request
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    measured.update(statements=response.headers.get("X-SQL-Statements"),
                                    kb=len(response.get_data()) / 1024)

                ms = timed(page)
                rows.append([f"{size} schools", label, f"{ms:.1f}", measured["statements"], f"{measured['kb']:.1f}"])
            ms = timed(lambda year=year: suggested_triads(year))
            rows.append([f"{size} schools", "suggested_triads() alone (load + group)", f"{ms:.1f}", "", ""])
        database = "PostgreSQL" if db.engine.dialect.name == "postgresql" else "SQLite"
        publish("bench/triad_forming_timing.py", started_at, [
            f"{database}, `--schools {args.schools}`; the test client as the programme lead; median of {args.repeat}."
            f" The year: the biggest programme's next, every school of its open year enrolled again (all returning,"
            f" none in a triad), and a {SMALL}-school copy."],
            ["programme", "page", "ms", "SQL statements", "KB"], rows, right={2, 3, 4})


if __name__ == "__main__":
    main()
