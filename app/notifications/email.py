"""Email: every message goes into the outbox table; delivery sends what is unsent by SMTP.

Delivery claims each message in the database before sending it, so two senders (two web
processes, or two schedulers) never send the same message twice.
"""
from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from app.common import clock
from app.common.settings import setting
from app.extensions import db
from app.models import OutboxEmail

log = logging.getLogger(__name__)
CLAIM_EXPIRES = timedelta(minutes=10)  # a sender that died mid-send frees its claim after this


def queue_email(to_address: str, subject: str, body: str, key: str | None = None) -> OutboxEmail | None:
    """Put a message in the outbox. With a `key`, a message already queued under that key (by another
    scheduler, or before a restart) is not queued again: the unique index refuses it, and None is returned."""
    email = OutboxEmail(to_address=to_address, subject=subject, body=body, dedupe_key=key)
    if key is not None:
        try:
            with db.session.begin_nested():
                db.session.add(email)
        except IntegrityError:
            return None
    else:
        db.session.add(email)
    if not setting("MAIL_SERVER"):
        log.info("Email to %s kept in the outbox (no MAIL_SERVER): %s\n%s", to_address, subject, body)
    return email


def _claim(email_id: uuid.UUID, now: datetime) -> bool:
    claimed = cast(CursorResult[Any], db.session.execute(  # an UPDATE's result: it has a rowcount
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id, OutboxEmail.sent_at.is_(None))
        .where((OutboxEmail.claimed_at.is_(None)) | (OutboxEmail.claimed_at < now - CLAIM_EXPIRES))
        .values(claimed_at=now)
    ))
    db.session.commit()
    return claimed.rowcount == 1


def _send(to_address: str, subject: str, body: str) -> None:
    """Send one message by SMTP (MAIL_SERVER and its settings)."""
    message = EmailMessage()
    message["From"] = setting("MAIL_FROM")
    message["To"] = to_address
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(setting("MAIL_SERVER"), setting("MAIL_PORT"), timeout=30) as smtp:
        if setting("MAIL_USE_TLS"):
            smtp.starttls()
        if setting("MAIL_USERNAME"):
            smtp.login(setting("MAIL_USERNAME"), setting("MAIL_PASSWORD"))
        smtp.send_message(message)


def deliver_outbox(limit: int = 100) -> int:
    """Send unsent outbox messages by SMTP; return how many were sent. Needs MAIL_SERVER."""
    if not setting("MAIL_SERVER"):
        return 0
    pending = db.session.execute(
        select(OutboxEmail.id, OutboxEmail.to_address, OutboxEmail.subject, OutboxEmail.body)
        .where(OutboxEmail.sent_at.is_(None))
        .order_by(OutboxEmail.created_at)
        .limit(limit)
    ).all()
    db.session.commit()
    sent = 0
    for email_id, to_address, subject, body in pending:
        now = clock.now()
        if not _claim(email_id, now):
            continue
        _send(to_address, subject, body)
        db.session.execute(update(OutboxEmail).where(OutboxEmail.id == email_id).values(sent_at=clock.now()))
        db.session.commit()
        sent += 1
    return sent


def outbox_page(page: int | None = None, per_page: int = 50):
    """Outbox messages, newest first, a page at a time (for the administrator)."""
    return db.paginate(select(OutboxEmail).order_by(OutboxEmail.created_at.desc()), page=page, per_page=per_page)
