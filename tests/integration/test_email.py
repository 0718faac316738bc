"""Email through a real SMTP server on loopback (aiosmtpd), and no message sent twice."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.accounts import invite_user
from app.extensions import db
from app.models import OutboxEmail, Role
from app.notifications.email import deliver_outbox
from tests.factories import make_school, make_user
from tests.mail import smtp_inbox


@pytest.fixture
def smtp_server(app):
    with smtp_inbox(app) as inbox:
        yield inbox


def test_an_invitation_is_delivered_by_smtp_once(session, smtp_server):
    invite_user(email="head@example.org", name="Hana Head", role=Role.HEAD, invited_by=make_user(),
                school=make_school(name="Birch Lane Primary"))
    db.session.commit()

    assert deliver_outbox() == 1
    assert deliver_outbox() == 0  # already sent: never twice

    [message] = smtp_server.messages
    assert message["To"] == "head@example.org"
    assert message["Subject"] == "You have been invited to SEND Triads"
    body = message.get_payload(decode=True).decode()
    assert "Birch Lane Primary" in body
    assert "http://localhost/invitation/" in body
    sent = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "head@example.org"))
    assert sent.sent_at is not None


def test_without_a_mail_server_email_waits_in_the_outbox(session, app):
    invite_user(email="senco@example.org", name="Sol Senco", role=Role.SENCO, invited_by=make_user(),
                school=make_school())
    db.session.commit()
    assert deliver_outbox() == 0
    waiting = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "senco@example.org"))
    assert waiting.sent_at is None
