"""Two processes writing to the SQLite file at once queue for the lock instead of failing."""
from __future__ import annotations

import multiprocessing
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

WRITES_PER_PROCESS = 40


def _write_organisations(url: str, label: str, errors) -> None:
    from app import create_app
    from app.extensions import db
    from app.models import Organisation, OrganisationKind
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    for n in range(WRITES_PER_PROCESS):
        # A write request that reads before it writes: the case that fails without BEGIN IMMEDIATE.
        with app.test_request_context("/", method="POST"):
            try:
                count = db.session.scalar(select(func.count()).select_from(Organisation))
                db.session.add(Organisation(name=f"{label} {n} after {count}", kind=OrganisationKind.TRUST))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the parent
                errors.append(f"{label} {n}: {error}")
                db.session.rollback()
            finally:
                db.session.remove()


def test_two_processes_writing_to_sqlite_both_succeed():
    from app import create_app
    from app.extensions import db
    from app.models import Organisation
    from config import TestingConfig

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'writers.sqlite'}"
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager:
            errors = manager.list()
            writers = [context.Process(target=_write_organisations, args=(url, label, errors)) for label in "AB"]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join(timeout=120)
            failures = list(errors)
        assert failures == []
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2 * WRITES_PER_PROCESS
            db.session.remove()
            db.engine.dispose()
