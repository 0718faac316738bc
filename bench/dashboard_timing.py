"""Time the locality dashboard against scale data: the service alone, the whole page through the
Flask test client (as the programme lead, with the SQL statement count), and the CSV.

    .venv/bin/python bench/dashboard_timing.py                 # seeds 2000 schools in a temporary SQLite file
    .venv/bin/python bench/dashboard_timing.py --schools 25000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/send_triads_bench .venv/bin/python bench/dashboard_timing.py

With DATABASE_URL the database must be empty or already hold scale data; it is migrated and seeded
when it has no organisations. Nothing here is part of the test run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    folder = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        folder = tempfile.TemporaryDirectory(prefix="send-triads-bench-")
        url = f"sqlite:///{Path(folder.name) / 'bench.sqlite'}"
    os.environ.update(APP_ENV="development", DATABASE_URL=url)

    from flask import g
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import ProgrammeYear, Role, RoleAssignment, Triad, User
    from app.services import demo_data
    from app.services.dashboard import Filters, dashboard_csv, locality_dashboard

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, RECORD_QUERIES=True)
    with app.app_context():
        upgrade()
        if demo_data.database_is_empty():
            started = time.perf_counter()
            demo_data.generate_scale_data(args.schools)
            db.session.commit()
            print(f"seeded {args.schools:,} schools in {time.perf_counter() - started:.1f}s")
        # The open year with the most triads, and its programme's lead.
        year_id, triads = db.session.execute(
            select(Triad.year_id, func.count()).join(ProgrammeYear, ProgrammeYear.id == Triad.year_id)
            .where(ProgrammeYear.is_closed.is_(False)).group_by(Triad.year_id).order_by(func.count().desc()).limit(1)
        ).one()
        year = db.session.get(ProgrammeYear, year_id)
        lead = db.session.scalar(select(User).join(RoleAssignment).where(
            RoleAssignment.role == Role.PROGRAMME_LEAD, RoleAssignment.programme_id == year.programme_id))
        cluster = year.programme.clusters[0]
        print(f"{year.programme.name} {year.label}: {triads} triads, {len(year.enrolments)} schools")

        def timed(label: str, work) -> None:
            times = []
            for _ in range(args.repeat):
                db.session.expire_all()
                started = time.perf_counter()
                work()
                times.append(time.perf_counter() - started)
            print(f"  {label:<42} median {1000 * statistics.median(times):7.1f} ms   "
                  f"best {1000 * min(times):7.1f} ms")

        timed("service: locality_dashboard()", lambda: locality_dashboard(year))
        timed("service: filtered to a cluster", lambda: locality_dashboard(year, Filters(cluster_id=cluster.id)))
        timed("service + CSV", lambda: dashboard_csv(locality_dashboard(year)))
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = lead.get_id()
            flask_session["_fresh"] = True
            flask_session["seen_at"] = time.time()
        statements = set()

        def page() -> None:
            g.pop("sql_statements", None)  # the bench's app context outlives each request
            response = client.get(f"/years/{year.id}/dashboard")
            assert response.status_code == 200, response.status_code
            statements.add(response.headers.get("X-SQL-Statements"))

        timed("page: GET /years/<id>/dashboard", page)
        timed("page: GET /years/<id>/dashboard.csv",
              lambda: client.get(f"/years/{year.id}/dashboard.csv").get_data())
        print(f"  SQL statements per page: {', '.join(sorted(statements))}")
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
