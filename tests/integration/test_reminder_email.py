"""Two schedulers racing: each reminder is queued once and delivered once, through a real SMTP server
on loopback, on a database of its own (SQLite or PostgreSQL)."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import func, select

from tests.databases import fresh_database
from tests.mail import Inbox, free_port

SCHEDULERS = 2


def _race(app, job) -> list[BaseException]:
    """Run `job` in SCHEDULERS threads at once, each as its own scheduler process would."""
    from app.extensions import db

    start = threading.Barrier(SCHEDULERS)
    errors: list[BaseException] = []

    def run() -> None:
        # A POST request context: this app starts write transactions with BEGIN IMMEDIATE on SQLite.
        with app.test_request_context("/", method="POST"):
            try:
                start.wait()
                job()
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(SCHEDULERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_schedulers_send_each_reminder_once():
    from app import create_app
    from app.extensions import db
    from app.models import OutboxEmail, Role, TriadMeeting
    from app.notifications.email import deliver_outbox
    from app.notifications.reminders import queue_reminders
    from config import TestingConfig
    from tests.factories import make_triad, make_user

    now = datetime.now(timezone.utc)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with fresh_database("reminders") as url:
            app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1",
                             MAIL_PORT=controller.port)
            with app.app_context():
                upgrade()
                triad = make_triad()
                for n, member in enumerate(triad.members):
                    make_user(Role.SENCO, school=member.school, email=f"senco{n}@example.org")
                db.session.add(TriadMeeting(triad_id=triad.id, number=1, place="Library",
                                            starts_at=now + timedelta(days=1)))
                db.session.commit()
                triad_name = triad.name
                db.session.remove()

            assert _race(app, lambda: queue_reminders(datetime.now(timezone.utc))) == []
            with app.app_context():
                rows = db.session.execute(select(OutboxEmail.to_address, func.count())
                                          .group_by(OutboxEmail.to_address)).all()
                assert sorted(rows) == [(f"senco{n}@example.org", 1) for n in range(3)]
                db.session.remove()

            # A restart: the job runs again and queues nothing new.
            with app.test_request_context("/", method="POST"):
                assert queue_reminders(datetime.now(timezone.utc)) == 0
                db.session.rollback()
                db.session.remove()

            assert _race(app, deliver_outbox) == []
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        controller.stop()

    assert sorted(message["To"] for message in inbox.messages) == [f"senco{n}@example.org" for n in range(3)]
    message = inbox.messages[0]
    assert " ".join(message["Subject"].split()).startswith(f"Reminder: {triad_name} meeting 1, ")  # unfolded
    body = message.get_payload(decode=True).decode()
    assert "Where: Library" in body and "/triads/" in body
