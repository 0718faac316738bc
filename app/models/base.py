"""The model base and shared column types: random UUID keys (nothing in a URL can be found by
counting), timestamps, the one column type for a moment (`UTCDateTime`) and the one way to store an
enum (`stored_enum`)."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, DateTime, Dialect, Enum, ForeignKey, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.common import clock
from app.extensions import Base, db

if TYPE_CHECKING:
    # db.Model is built at run time from this declarative base; mypy cannot follow that, so to it the
    # models derive from the base itself. At run time they derive from db.Model, as always.
    Model = Base
else:
    Model = db.Model


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, stored as a time-zone-aware timestamp and always handed back as an aware UTC datetime
    (SQLite keeps no time zone, so what it returns is read as the UTC it was stored in). A naive
    datetime is refused on the way in: which zone it meant is a guess. Aware ones are stored in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise ValueError(f"A moment must be an aware datetime (see app.common.clock), not {value!r}")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def stored_enum(kind: type[enum.Enum], name: str) -> Enum:
    """An enum column stored as its values' text (a VARCHAR(20), not a database enum type)."""
    return Enum(kind, name=name, native_enum=False, length=20, values_callable=lambda kinds: [k.value for k in kinds])


def association_table(name: str, owner: tuple[str, str], other: tuple[str, str]) -> Table:
    """A many-to-many table whose rows tie an owner's row (and go with it) to another table's row.
    `owner` and `other` are (column, table), e.g. ("action_id", "plan_action")."""
    (owner_column, owner_table), (other_column, other_table) = owner, other
    return Table(
        name,
        db.metadata,
        Column(owner_column, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(other_column, ForeignKey(f"{other_table}.id"), primary_key=True),
    )


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
