"""Fixtures shared by every test: an app on a migrated database, and a rolled-back test transaction."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import Connection

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.databases import fresh_database
from tests.pages import ClientRequest

# The modules that take longest (a minute or more each), started first: the workers of `make test` take a
# module at a time in this order, so a long one left to the end would keep one worker busy while the other idles.
LONGEST_FIRST = ("tests/integration/test_form_fuzz.py", "tests/integration/test_route_matrix.py",
                 "tests/browser/test_small_screens.py", "tests/browser/test_timeout.py",
                 "tests/unit/test_demo_data.py", "tests/browser/test_self_evaluation.py",
                 "tests/browser/test_autosave.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first, the rest in their usual order (a module's tests stay together)."""
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)


class FreshRequestClient(FlaskClient):
    """The test's app context (and its database session) is shared with each request it makes.

    In production every request has its own `g`; here it is emptied before each request, so
    nothing (the signed-in user, the CSRF token, the statement count) leaks between requests.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        return super().open(*args, **kwargs)


class BoundSession(Session):
    """Flask-SQLAlchemy's session picks the engine itself; this one keeps to the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with fresh_database("unit") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        upgrade()  # the real migrations, not create_all
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def rolled_back_connection(app: Flask) -> Iterator[Connection]:
    """One connection in a transaction that is rolled back at the end."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()
            connection.close()


@contextmanager
def bound_session(app: Flask, connection: Connection | None = None, keep: bool = False) -> Iterator[Session]:
    """A database session on one connection whose transaction is rolled back at the end: everything
    written through it, and by requests made meanwhile, is undone.

    On a `connection` of an enclosing rolled_back_connection, the session works inside a savepoint: undone
    at the end, or with `keep` kept for the enclosing transaction (which rolls it back in its turn)."""
    with app.app_context(), ExitStack() as stack:
        savepoint = None if connection is None else connection.begin_nested()
        if connection is None:
            connection = stack.enter_context(rolled_back_connection(app))
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            if savepoint is not None and savepoint.is_active:
                savepoint.commit() if keep else savepoint.rollback()


@pytest.fixture(scope="module", autouse=True)
def vacuumed(request) -> None:
    """On PostgreSQL, each test module starts with the dead rows the ones before it left cleared: every test
    rolls back what it wrote, which leaves dead rows, and with autovacuum off (as it is on these machines)
    they pile up until counting a table's rows (as the form fuzzer does for every example) reads them all."""
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM")


@pytest.fixture
def session(app: Flask):
    """A database session for one test; everything it and its requests write is rolled back."""
    with bound_session(app) as bound:
        yield bound


@pytest.fixture
def client(app: Flask, session):
    return app.test_client()


@pytest.fixture
def client_request(client) -> ClientRequest:
    return ClientRequest(client)


class FailedToLoad(AssertionError):
    """WeasyPrint could not load something a report refers to."""


class RaiseOnFailedLoad(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING and "Failed to" in record.getMessage():
            raise FailedToLoad(record.getMessage())


@pytest.fixture(autouse=True)
def weasyprint_loads_everything():
    """In every test, a broken image, stylesheet or SVG reference in a PDF fails the test instead of
    printing blank."""
    handler = RaiseOnFailedLoad(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.disabled = disabled
