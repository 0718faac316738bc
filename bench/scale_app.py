"""What the benchmarks share: an app on a scale-data database (a temporary SQLite file unless
DATABASE_URL names one), seeded when empty, and the open programme year with the most triads."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@contextmanager
def scale_app(schools: int, **config) -> Iterator:
    """Yield (app, year, triads) inside the app's context: the migrated, seeded database's open year
    with the most triads, and how many it has."""
    with tempfile.TemporaryDirectory(prefix="send-triads-bench-") as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        os.environ.update(APP_ENV="development", DATABASE_URL=url)

        from flask_migrate import upgrade
        from sqlalchemy import func, select

        from app import create_app
        from app.demo.programme import database_is_empty
        from app.demo.scale import generate_scale_data
        from app.extensions import db
        from app.models import ProgrammeYear, Triad

        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, **config)
        with app.app_context():
            upgrade()
            if database_is_empty():
                started = time.perf_counter()
                generate_scale_data(schools)
                db.session.commit()
                print(f"seeded {schools:,} schools in {time.perf_counter() - started:.1f}s")
            year_id, triads = db.session.execute(
                select(Triad.year_id, func.count()).join(ProgrammeYear, ProgrammeYear.id == Triad.year_id)
                .where(ProgrammeYear.is_closed.is_(False)).group_by(Triad.year_id)
                .order_by(func.count().desc()).limit(1)).one()
            year = db.session.get(ProgrammeYear, year_id)
            print(f"{year.programme.name} {year.label}: {triads} triads, {len(year.enrolments)} schools")
            yield app, year, triads
