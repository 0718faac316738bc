"""`make lint`: the migrations match the models and run down to nothing and back up, on SQLite and on
PostgreSQL. On each, in a database made for the run and dropped after it: upgrade to head, `db check`
(no model change lacks its migration), downgrade to base (nothing may be left but Alembic's own
table), then upgrade and check again.

PostgreSQL is the server TEST_DATABASE_URL names (CI sets it), or postgres@127.0.0.1:5432."""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.database import scratch_database  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/send_triads"


@contextmanager
def quietly() -> Iterator[None]:
    """Keep what a step logs (Alembic logs every revision) and show it only if the step fails."""
    said = io.StringIO()
    try:
        with redirect_stdout(said), redirect_stderr(said):
            yield
    except BaseException:
        sys.stderr.write(said.getvalue())
        raise


def nothing_left() -> None:
    left = sorted(set(inspect(db.engine).get_table_names()) - {"alembic_version"})
    if left:
        sys.exit(f"check_migrations: downgrading to base left these tables: {', '.join(left)}")


def round_trip(url: str) -> None:
    """Up, check, down to base, up, check. flask_migrate exits 1 itself when a step fails."""
    with quietly():
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        try:
            for action in (upgrade, check, lambda: downgrade(revision="base"), nothing_left, upgrade, check):
                with quietly():
                    action()
        finally:
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    for label, server in (("SQLite", None), ("PostgreSQL", os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER)):
        print(f"check_migrations: {label}: upgrade, check, downgrade to base, upgrade, check", flush=True)
        with scratch_database("migrations", server) as url:
            round_trip(url)
    print("check_migrations: the models match the migrations, which go down to base and back up, "
          "on SQLite and PostgreSQL")


if __name__ == "__main__":
    main()
