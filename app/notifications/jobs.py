"""Scheduled jobs. Each is importable by path (APScheduler stores jobs in the database by
reference) and idempotent: two schedulers running the same job never send an email twice."""
from __future__ import annotations

from functools import cache

from flask import Flask

from app.common import clock


@cache
def _app() -> Flask:
    from app import create_app

    return create_app()


def deliver_email() -> int:
    """Send what is waiting in the outbox (when a mail server is configured)."""
    from app.notifications.email import deliver_outbox

    with _app().app_context():
        return deliver_outbox()


def send_reminders() -> int:
    """Queue reminders for meetings and visits coming up (once each, however many schedulers run)."""
    from app.extensions import db
    from app.notifications.reminders import queue_reminders

    with _app().app_context():
        queued = queue_reminders(clock.now())
        db.session.commit()
        return queued


def send_overdue_digest() -> int:
    """Queue this week's digest of overdue actions (once per person per week)."""
    from app.extensions import db
    from app.notifications.reminders import queue_overdue_digest

    with _app().app_context():
        queued = queue_overdue_digest(clock.now())
        db.session.commit()
        return queued


def send_request_chasers() -> int:
    """Queue chasers before information request deadlines and notices after them (once each)."""
    from app.extensions import db
    from app.notifications.reminders import queue_request_chasers

    with _app().app_context():
        queued = queue_request_chasers(clock.now())
        db.session.commit()
        return queued


def prepare_celebration_packs() -> int:
    """Lay out any large celebration packs the programme leads have asked for (each claimed once)."""
    from app.celebration.pack import prepare_packs

    with _app().app_context():
        return prepare_packs()

