"""Make a clean database for one test run: a SQLite file, or a new PostgreSQL database."""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    """Yield the URL of a new, empty database and drop it afterwards.

    With TEST_DATABASE_URL set (PostgreSQL), the new database is created beside the one it names.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        with tempfile.TemporaryDirectory(prefix=f"send-triads-{label}-") as folder:
            yield f"sqlite:///{Path(folder) / 'test.sqlite'}"
        return
    url = make_url(base)
    name = f"{url.database or 'send_triads'}_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
