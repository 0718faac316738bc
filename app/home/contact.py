"""Who runs the service and how to reach them (config.py's SERVICE_OWNER and CONTACT_* settings), as the
phase banner, the footer's pages and the help page show it."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from app.common.settings import setting


@dataclass(frozen=True)
class Contact:
    owner: str
    email: str
    phone: str
    hours: str

    @property
    def feedback_href(self) -> str:
        """A new email to the service's team, its subject filled in."""
        return f"mailto:{self.email}?subject={quote('Feedback on SEND Triads')}"

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")


def service_contact() -> Contact:
    return Contact(owner=setting("SERVICE_OWNER"), email=setting("CONTACT_EMAIL"), phone=setting("CONTACT_PHONE"),
                   hours=setting("CONTACT_HOURS"))
