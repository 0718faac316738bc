"""People who sign in, the roles they hold in a scope (a school, a programme or a cluster), and the roles
they held once (EndedRole), kept so that a person's details can be deleted six years after their last role
ended."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, stored_enum
from app.models.notice import NoticeFrequency

if TYPE_CHECKING:
    from app.models.programme import Cluster, Programme
    from app.models.school import School


class Role(enum.StrEnum):
    ADMIN = "admin"
    PROGRAMME_LEAD = "programme_lead"
    QA_EXPERT = "qa_expert"
    HEAD = "head"
    SENCO = "senco"
    CLUSTER_LEAD = "cluster_lead"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope(self) -> str:
        """What a role is held in: 'service', 'programme', 'school' or 'cluster'."""
        return ROLE_SCOPES[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.PROGRAMME_LEAD: "Programme lead",
    Role.QA_EXPERT: "QA expert",
    Role.HEAD: "Headteacher",
    Role.SENCO: "SENCo",
    Role.CLUSTER_LEAD: "Cluster lead",
}
ROLE_SCOPES = {
    Role.ADMIN: "service",
    Role.PROGRAMME_LEAD: "programme",
    Role.QA_EXPERT: "programme",
    Role.HEAD: "school",
    Role.SENCO: "school",
    Role.CLUSTER_LEAD: "cluster",
}


# Each role is held in exactly the scope it needs (role_assignment and ended_role alike).
SCOPE_MATCHES_ROLE = (
    "(role = 'admin' AND school_id IS NULL AND programme_id IS NULL AND cluster_id IS NULL)"
    " OR (role IN ('programme_lead', 'qa_expert') AND programme_id IS NOT NULL"
    "     AND school_id IS NULL AND cluster_id IS NULL)"
    " OR (role IN ('head', 'senco') AND school_id IS NOT NULL"
    "     AND programme_id IS NULL AND cluster_id IS NULL)"
    " OR (role = 'cluster_lead' AND cluster_id IS NOT NULL"
    "     AND school_id IS NULL AND programme_id IS NULL)"
)


class User(UUIDPrimaryKey, Timestamps, UserMixin, Model):
    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change: signs out other sessions and spends outstanding links.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the last invitation email (with its link to set a password) was sent; None before this was recorded.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret in the person's private calendar feed URL; resetting it stops the old URL working.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Whether hand-off emails go as they happen or in one summary a day.
    notice_frequency: Mapped[NoticeFrequency] = mapped_column(
        stored_enum(NoticeFrequency, "notice_frequency"), default=NoticeFrequency.IMMEDIATE,
        server_default=NoticeFrequency.IMMEDIATE.value)
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", foreign_keys="RoleAssignment.user_id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot sign in
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


class RoleAssignment(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "role_assignment"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "role", "school_id", "programme_id", "cluster_id",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint(
            SCOPE_MATCHES_ROLE,
            name="scope_matches_role",
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        stored_enum(Role, "role")
    )
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school.id"), index=True)
    programme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("programme.id"), index=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    # Who gave the role (None for roles given before this was recorded, or by an account since deleted).
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    school: Mapped["School | None"] = relationship()
    programme: Mapped["Programme | None"] = relationship()
    cluster: Mapped["Cluster | None"] = relationship()


class EndReason(enum.StrEnum):
    REMOVED = "removed"  # someone took the role away
    REPLACED = "replaced"  # a successor took it over
    MOVED = "moved"  # the person took a role at another school of the same programme

    @property
    def label(self) -> str:
        return END_REASON_LABELS[self]


END_REASON_LABELS = {
    EndReason.REMOVED: "Role ended",
    EndReason.REPLACED: "Replaced by a successor",
    EndReason.MOVED: "Moved to another school",
}


class EndedRole(UUIDPrimaryKey, Model):
    """A role someone held and no longer holds: who, what, where, granted when and by whom, ended when and by
    whom. Ending a role moves it here from role_assignment (rather than marking it ended there), so every
    permission and every list of a school's people keeps reading role_assignment alone: a role that is there
    is held, and none of those queries can forget to leave ended ones out."""

    __tablename__ = "ended_role"
    __table_args__ = (
        CheckConstraint(
            SCOPE_MATCHES_ROLE,
            name="ended_scope_matches_role",
        ),
        CheckConstraint("ended_at >= granted_at", name="ended_after_granted"),
    )

    # Deleting a person's account deletes the history of their roles with it.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school.id"), index=True)
    programme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("programme.id"), index=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[EndReason] = mapped_column(stored_enum(EndReason, "end_reason"))
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    school: Mapped["School | None"] = relationship()
    programme: Mapped["Programme | None"] = relationship()
    cluster: Mapped["Cluster | None"] = relationship()


class SignInAttempt(UUIDPrimaryKey, Model):
    """Failed sign-ins, kept in the database so the limit holds across processes."""

    __tablename__ = "sign_in_attempt"

    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
