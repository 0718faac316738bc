"""Time generate_scale_data for N schools against a throwaway database.

    .venv/bin/python bench/seed_timing.py 2000 25000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/send_triads_bench .venv/bin/python bench/seed_timing.py 25000

Without DATABASE_URL each N gets a fresh SQLite file in a temporary folder. With it, the schema is
migrated in that database (which must exist and should be empty) and each N is added in its own
transaction and rolled back, so the database is left as it was. Not part of the test run.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.scale import generate_scale_data  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import School  # noqa: E402


def time_one(url: str, schools: int, seed: int, keep: bool) -> float:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        before = db.session.scalar(select(func.count(School.id)))
        started = time.perf_counter()
        rows = generate_scale_data(schools, seed=seed)
        db.session.commit() if keep else db.session.flush()
        elapsed = time.perf_counter() - started
        if not keep:
            db.session.rollback()
        added = sum(rows.values())
        print(f"{db.engine.dialect.name:<10} {schools:>7,} schools  {added:>9,} rows  {elapsed:6.2f}s"
              f"  ({before:,} schools before)")
        db.session.remove()
        db.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("schools", type=int, nargs="+", help="numbers of schools to time")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="commit the data (DATABASE_URL only)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    for schools in args.schools:
        if url:
            time_one(url, schools, args.seed, keep=args.keep)
        else:
            with tempfile.TemporaryDirectory(prefix="send-triads-bench-") as folder:
                time_one(f"sqlite:///{Path(folder) / 'bench.sqlite'}", schools, args.seed, keep=True)


if __name__ == "__main__":
    main()
