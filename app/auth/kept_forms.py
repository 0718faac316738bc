"""Forms posted after their writer's session had ended: kept under a random key that only that browser's
session cookie holds, until the same person signs in there again and saves them. Someone else signing in
in that browser never sees one (it is deleted). The text is neither logged nor audited."""
from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from app.common import clock
from app.extensions import db
from app.models import KeptForm
from app.models.kept_form import PATH_LENGTH

SESSION_KEY = "kept_form"  # the session cookie's entry naming this browser's kept form
KEPT_FOR = timedelta(hours=24)
MOST_CHARACTERS = 1_000_000  # the fields' names and values together


@dataclass(frozen=True)
class Kept:
    path: str  # where it was posted, with its query
    fields: list[tuple[str, str]]  # in the order sent; a name sent twice appears twice


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _live(key: str | None) -> KeptForm | None:
    if not key:
        return None
    return db.session.scalar(select(KeptForm).where(KeptForm.key_hash == _hash(key), KeptForm.expires_at > clock.now()))


def keep_form(user_id: uuid.UUID, path: str, fields: list[tuple[str, str]], replaces: str | None = None) -> str | None:
    """Keep what `user_id`'s browser posted to `path` after their session ended: the key for that browser's
    session cookie, or None when there is nothing to keep or it is too big. A browser keeps one form at a
    time, its latest (`replaces` names the one before); forms kept longer than KEPT_FOR go."""
    if not fields or len(path) > PATH_LENGTH or sum(len(name) + len(value) for name, value in fields) > MOST_CHARACTERS:
        return None
    now = clock.now()
    db.session.execute(delete(KeptForm).where(KeptForm.expires_at <= now))
    discard_kept_form(replaces)
    key = secrets.token_urlsafe(32)
    db.session.add(KeptForm(key_hash=_hash(key), user_id=user_id, path=path, fields=json.dumps(fields),
                            created_at=now, expires_at=now + KEPT_FOR))
    db.session.flush()
    return key


def has_kept_form(key: str | None) -> bool:
    """Is a form kept under this key, waiting for its writer to sign in?"""
    return _live(key) is not None


def claim_kept_form(key: str | None, user_id: uuid.UUID) -> bool:
    """On signing in: is a form kept under this key for this person? One kept for someone else is deleted."""
    kept = _live(key)
    if kept is not None and kept.user_id != user_id:
        discard_kept_form(key)
        return False
    return kept is not None


def kept_form_for(key: str | None, user_id: uuid.UUID) -> Kept | None:
    """The form kept under this key for this person, to post again (read only: a page shows it)."""
    kept = _live(key)
    if kept is None or kept.user_id != user_id:
        return None
    return Kept(kept.path, [(name, value) for name, value in json.loads(kept.fields)])


def use_kept_form(key: str | None, user_id: uuid.UUID, path: str) -> bool:
    """The form kept under this key is being posted again, to `path`: delete it (in the same transaction
    as whatever it saves). False when no form kept for this person was posted there."""
    kept = _live(key)
    if kept is None or kept.user_id != user_id or kept.path != path:
        return False
    db.session.delete(kept)
    db.session.flush()
    return True


def discard_kept_form(key: str | None) -> None:
    if key:
        db.session.execute(delete(KeptForm).where(KeptForm.key_hash == _hash(key)))
