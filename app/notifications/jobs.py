"""Scheduled jobs. Each is importable by path (APScheduler stores jobs in the database by
reference) and idempotent: two schedulers running the same job never send an email twice."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
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


def _queue_now(queue: Callable[[datetime], int]) -> int:
    """Run a job that queues emails for this moment, and commit what it queued."""
    from app.extensions import db

    with _app().app_context():
        queued = queue(clock.now())
        db.session.commit()
        return queued


def send_reminders() -> int:
    """Queue reminders for meetings and visits coming up (once each, however many schedulers run)."""
    from app.notifications.reminders import queue_reminders

    return _queue_now(queue_reminders)


def send_overdue_digest() -> int:
    """Queue this week's digest of overdue actions (once per person per week)."""
    from app.notifications.reminders import queue_overdue_digest

    return _queue_now(queue_overdue_digest)


def send_request_chasers() -> int:
    """Queue chasers before information request deadlines and notices after them (once each)."""
    from app.notifications.reminders import queue_request_chasers

    return _queue_now(queue_request_chasers)


def send_deadline_chasers() -> int:
    """Queue chasers before and after the programme deadlines, to whoever has not done it (once each)."""
    from app.deadlines.chasers import queue_deadline_chasers

    return _queue_now(queue_deadline_chasers)


def send_notice_summaries() -> int:
    """Queue the day's summary of notices for those who take one (once per person a day)."""
    from app.notifications.notices import queue_daily_summaries

    return _queue_now(queue_daily_summaries)


def prepare_celebration_packs() -> int:
    """Lay out any large celebration packs the programme leads have asked for (each claimed once)."""
    from app.celebration.pack import prepare_packs

    with _app().app_context():
        return prepare_packs()

