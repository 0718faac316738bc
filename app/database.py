"""Engine set-up, the request's unit of work (one commit per successful write request), and scratch
databases for tests and checks."""
from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from app.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_write_request() -> bool:
    return has_request_context() and request.method not in READ_METHODS


def _configure_sqlite(engine: Engine) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE for write requests so two processes queue
    for the write lock instead of failing with "database is locked" part-way through. Reads, and
    work outside a request (the CLI), begin deferred so they hold no lock while idle.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN (and
    savepoints) are what SQLite sees.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # pragma: no cover - driver hook
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if is_write_request() else "BEGIN")


def _count_statements(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, _params, _context, _many):
        if has_request_context() and not statement.lstrip().upper().startswith(
            ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA")
        ):
            g.sql_statements = g.get("sql_statements", 0) + 1


def database_is_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return False
    return True


class ReadRequestWrote(RuntimeError):
    """A GET (or HEAD) tried to change the database."""


@event.listens_for(Session, "before_flush")
def refuse_writes_in_read_requests(session: Session, _context, _instances) -> None:
    if has_request_context() and request.method in READ_METHODS and (session.new or session.dirty or session.deleted):
        changed = [type(obj).__name__ for obj in [*session.new, *session.dirty, *session.deleted]]
        raise ReadRequestWrote(f"{request.method} {request.path} tried to write: {changed}")


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        if app.config.get("RECORD_QUERIES"):
            _count_statements(engine)

    @app.after_request
    def commit_successful_writes(response):
        """The request owns the transaction: a write that succeeded commits, anything else rolls back."""
        if request.method not in READ_METHODS and response.status_code < 400:
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
        else:
            db.session.rollback()
        if current_app.config.get("RECORD_QUERIES"):
            response.headers["X-SQL-Statements"] = str(g.get("sql_statements", 0))
        return response


@contextmanager
def scratch_database(label: str, server_url: str | None = None) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards: a SQLite file, or with `server_url` (any
    database URL on a PostgreSQL server) a new database on that server named after it and `label`."""
    if not server_url:
        with tempfile.TemporaryDirectory(prefix=f"send-triads-{label}-") as folder:
            yield f"sqlite:///{Path(folder) / 'scratch.sqlite'}"
        return
    url = make_url(server_url)
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
