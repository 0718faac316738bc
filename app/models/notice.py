"""Hand-off notices: what happened that is someone's turn now, one per person and event. Each carries what
happened, what to do and a link, never a school's confidential text. People choose whether the email goes
as it happens or in a daily summary; the notice shows in the service either way."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common import clock
from app.models.base import Model, UTCDateTime, UUIDPrimaryKey, stored_enum


class NoticeFrequency(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"

    @property
    def label(self) -> str:
        return {NoticeFrequency.IMMEDIATE: "As it happens", NoticeFrequency.DAILY: "A daily summary"}[self]


class NoticeKind(enum.StrEnum):
    SUBMITTED = "submitted"  # a self-evaluation, to its head
    SIGNED_OFF = "signed_off"  # to the triad's other schools and the QA expert
    REOPENED = "reopened"  # to the SENCo
    FLAGGED = "flagged"  # moderated ratings far from the school's own, to the school
    FLAG_RESPONSE = "flag_response"  # the school's answer, to the QA expert
    PLAN_FINALISED = "plan_finalised"  # to the coach and the triad
    LEARNINGS_RETURNED = "learnings_returned"  # to the triad
    REQUEST_SENT = "request_sent"  # an information request, to each school asked
    VISIT_NOTES = "visit_notes"  # a peer visit's notes, to the visited school
    PERSON_ADDED = "person_added"  # someone given access to a school, to its heads
    CHASER = "chaser"  # a programme deadline coming up or passed, to whoever has not done it


class Notice(UUIDPrimaryKey, Model):
    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_user_unread", "user_id", "read_at"),
                      Index("ix_notice_user_created", "user_id", "created_at"))

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(stored_enum(NoticeKind, "notice_kind"))
    summary: Mapped[str] = mapped_column(String(300))  # what happened, one sentence
    action: Mapped[str] = mapped_column(String(200))  # what to do, the link's text
    path: Mapped[str] = mapped_column(String(300))  # the page to do it on, within the service
    sent_by: Mapped[str | None] = mapped_column(String(250))  # who did it: a name and their role
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once the notice has gone by email (at once, or in that day's summary).
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Names the event and the person: a second notice of the same event to the same person is refused.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
