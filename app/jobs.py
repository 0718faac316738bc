"""Scheduled jobs. Each is importable by path (APScheduler stores jobs in the database by
reference) and idempotent: two schedulers running the same job never send an email twice."""
from __future__ import annotations

from functools import cache

from flask import Flask


@cache
def _app() -> Flask:
    from app import create_app

    return create_app()


def deliver_email() -> int:
    """Send what is waiting in the outbox (when a mail server is configured)."""
    from app.services.email import deliver_outbox

    with _app().app_context():
        return deliver_outbox()
