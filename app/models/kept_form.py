"""Text kept for the person who typed it, never shown to anyone else: a form posted after its writer's session
had ended, kept until they sign in again in the same browser (whose session cookie alone holds the key) and
then saved; and a draft of a form whose saving is a step (a new action, a response that tells the QA expert),
kept as they type until they save it."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, UTCDateTime, UUIDPrimaryKey

PATH_LENGTH = 2000


class KeptForm(UUIDPrimaryKey, Model):
    __tablename__ = "kept_form"

    # The SHA-256 of the key in the session cookie: the table alone opens no one's kept form.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Who was signed in when the session ended: nobody else may save it.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(PATH_LENGTH))  # where it was posted, with its query
    fields: Mapped[str] = mapped_column(Text)  # JSON: [[name, value], ...] in the order sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class FormDraft(UUIDPrimaryKey, Model):
    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("user_id", "path"),)

    # Whose it is: only they see it, on the page they typed it on.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(PATH_LENGTH))  # the form's page, without its query
    fields: Mapped[str] = mapped_column(Text)  # JSON: [[name, value], ...] in the order sent
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
