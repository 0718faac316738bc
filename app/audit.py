"""One mechanism for the audit trail: every flush records who created, changed or deleted what.

Views and services never write audit events by hand; this listener sees every ORM change.
"""
from __future__ import annotations

import contextvars
import enum
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.models import (
    AuditEvent,
    FormDraft,
    KeptForm,
    Notice,
    OutboxEmail,
    PasswordResetRequest,
    SignInAttempt,
    UserSession,
)

# The trail itself, the records of signing in (counted for limits, not changes to anyone's work), and text
# kept for its writer alone until they save it (a kept form, a draft), which the trail must not copy.
NOT_AUDITED = (AuditEvent, SignInAttempt, OutboxEmail, Notice, UserSession, PasswordResetRequest, KeptForm,
               FormDraft)
REDACTED_FIELDS = frozenset({"password_hash"})

# Who is acting outside a request (the CLI, the scheduler); None means "the system".
_cli_actor: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user_id: uuid.UUID | None) -> Iterator[None]:
    token = _cli_actor.set(user_id)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def _actor_id() -> uuid.UUID | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return _cli_actor.get()


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (uuid.UUID, datetime, date)):
        return str(value)
    if isinstance(value, bytes):  # a stored file: its size, not its content
        return f"[{len(value)} bytes]"
    return value


def _shown(key: str, value: Any) -> Any:
    return "[redacted]" if key in REDACTED_FIELDS and value is not None else _plain(value)


def _column_keys(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _created(obj: Any) -> dict[str, Any]:
    return {key: _shown(key, getattr(obj, key)) for key in _column_keys(obj)}


def _stored_values(session: Session, obj: Any, keys: list[str]) -> dict[str, Any]:
    """The values in the database for attributes changed before they were loaded."""
    mapper = inspect(obj).mapper
    columns = [mapper.column_attrs[key].columns[0] for key in keys]
    row = session.execute(select(*columns).where(mapper.primary_key[0] == obj.id)).first()
    return dict(zip(keys, row, strict=True)) if row else {}


def _changed(session: Session, obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    histories = {
        key: state.attrs[key].history
        for key in _column_keys(obj)
        if key != "updated_at" and state.attrs[key].history.has_changes()
    }
    unloaded = [key for key, history in histories.items() if not history.deleted]
    stored = _stored_values(session, obj, unloaded) if unloaded else {}
    changes = {}
    for key, history in histories.items():
        before = history.deleted[0] if history.deleted else stored.get(key)
        after = history.added[0] if history.added else None
        if before != after:
            changes[key] = {"from": _shown(key, before), "to": _shown(key, after)}
    return changes


def _entity_id(obj: Any) -> uuid.UUID | None:
    value = getattr(obj, "id", None)
    return value if isinstance(value, uuid.UUID) else None


@event.listens_for(Session, "before_flush")
def record_changes(session: Session, _context, _instances) -> None:
    actor = _actor_id()
    events = []
    for obj in session.new:
        if isinstance(obj, NOT_AUDITED):
            continue
        if getattr(obj, "id", "no id") is None:
            obj.id = uuid.uuid4()  # so the event can name the record before the INSERT
        events.append(("create", obj, _created(obj)))
    for obj in session.dirty:
        if isinstance(obj, NOT_AUDITED) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changed(session, obj)
        if changes:
            events.append(("update", obj, changes))
    for obj in session.deleted:
        if not isinstance(obj, NOT_AUDITED):
            events.append(("delete", obj, _created(obj)))
    for action, obj, changes in events:
        session.add(
            AuditEvent(
                actor_id=actor, action=action, entity_type=type(obj).__name__,
                entity_id=_entity_id(obj), changes=changes,
            )
        )
