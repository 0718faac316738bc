"""Make a clean database for one test run: a SQLite file, or a new PostgreSQL database."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

from app.database import scratch_database


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    """Yield the URL of a new, empty database and drop it afterwards.

    With TEST_DATABASE_URL set (PostgreSQL), the new database is created beside the one it names.
    """
    with scratch_database(label, os.environ.get("TEST_DATABASE_URL")) as url:
        yield url


@contextmanager
def migrated_app(label: str, **overrides: Any) -> Iterator[Flask]:
    """An app on a new database of its own, migrated: for tests whose requests or processes must each
    have a real connection (races), which the shared test transaction cannot give."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from config import TestingConfig

    with fresh_database(label) as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, **overrides)
        with app.app_context():
            upgrade()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
