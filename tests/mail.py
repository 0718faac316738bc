"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that read the emails
the app sends."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message as EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask import Flask


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[EmailMessage] = []

    def handle_message(self, message: EmailMessage) -> None:
        self.messages.append(message)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_payload(decode=True).decode()  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_inbox(app: Flask) -> Iterator[Inbox]:
    """The app sends its email to a new SMTP server on 127.0.0.1 while this lasts."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        yield inbox
    finally:
        app.config.update(MAIL_SERVER=None)
        controller.stop()
