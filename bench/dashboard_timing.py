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
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask import g
    from sqlalchemy import select

    from app.dashboard.csv import dashboard_csv
    from app.dashboard.facts import Filters
    from app.dashboard.figures import locality_dashboard
    from app.extensions import db
    from app.models import Role, RoleAssignment, User
    from bench.scale_app import scale_app

    with scale_app(args.schools, RECORD_QUERIES=True) as (app, year, _triads):
        lead = db.session.scalar(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
            RoleAssignment.role == Role.PROGRAMME_LEAD, RoleAssignment.programme_id == year.programme_id))
        cluster = year.programme.clusters[0]

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
        from app.auth.sign_in import start_session

        session_id = start_session(lead)  # the server remembers signed-in sessions: start one, as signing in does
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["sid"] = str(session_id)
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


if __name__ == "__main__":
    main()
