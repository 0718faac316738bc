"""Accounts: invitations, who has access to a school, passwords, and the links sent by email
(signing in and its limits are in sign_in.py).

Nobody gives a role to their own account, and a head or SENCo role for someone who already oversees
the school's programme (its lead or a QA expert) is given only by an administrator. A school's heads
are told whenever someone is given access to its work, and can take that access away. A person holds a
school role at one school of a programme at a time: given one at another of its schools, they lose the
first. An ended role leaves role_assignment (which is what every permission reads, so access ends on the
next request) for ended_role, the history kept of who held what, when and on whose say.

Links carry a signed token naming the user and a fingerprint of their current password, so a
link stops working once it has been used to set a password, and after it expires.
"""
from __future__ import annotations

import hashlib
import uuid

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from app.auth import handoffs
from app.common import clock
from app.common.errors import DomainError, checked_together
from app.common.links import absolute_url
from app.common.settings import render_text, setting
from app.extensions import db
from app.models import (
    Cluster,
    EndedRole,
    EndReason,
    Enrolment,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    User,
)
from app.notifications.email import queue_email

MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    try:
        return normalise_email(validate_email(email.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise DomainError("Enter an email address in the correct format, like name@example.com",
                          field="email") from None


def check_full_name(name: str) -> None:
    if not name:
        raise DomainError("Enter the person's full name", field="name")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", field="password")


# --- links -----------------------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(setting("SECRET_KEY"), salt=f"send-triads-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}:{user.session_version}".encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": str(user.id), "fp": _fingerprint(user)})


def user_for_token(token: str, purpose: str) -> User:
    """The user a link is for. Raises DomainError when it is expired, used or not genuine."""
    hours = setting("INVITE_TOKEN_HOURS" if purpose == "invite" else "RESET_TOKEN_HOURS")
    try:
        payload = _serializer(purpose).loads(token, max_age=hours * 3600)
    except SignatureExpired:
        raise DomainError("This link has expired") from None
    except BadSignature:
        raise DomainError("This link is not valid") from None
    user = db.session.get(User, uuid.UUID(payload["user"]))
    if user is None or not user.active or payload["fp"] != _fingerprint(user):
        raise DomainError("This link has already been used or is no longer valid")
    return user


# --- invitations -----------------------------------------------------------------------------

def _scope_for(role: Role, school: School | None, programme: Programme | None,
               cluster: Cluster | None) -> dict:
    scope = role.scope
    if scope == "school" and school is None:
        raise DomainError("Choose the school", field="school")
    if scope == "cluster" and cluster is None:
        raise DomainError("Choose the cluster", field="cluster")
    if scope == "programme" and programme is None:
        raise DomainError("Choose the programme", field="programme")
    return {
        "school": school if scope == "school" else None,
        "programme": programme if scope == "programme" else None,
        "cluster": cluster if scope == "cluster" else None,
    }


SCHOOL_ROLES = (Role.HEAD, Role.SENCO)
OVERSEEING_ROLES = (Role.PROGRAMME_LEAD, Role.QA_EXPERT)


def _check_may_grant(user: User, role: Role, school: School | None, invited_by: User) -> None:
    """Nobody gives themselves a role; a school role for someone who oversees the school's programme
    needs an administrator, so no lead or QA expert can make themselves (or be made) a school's staff
    and read its drafts without a third person deciding it."""
    if user.id == invited_by.id:
        raise DomainError("You cannot give yourself a role. Ask an administrator.", field="email")
    if role not in SCHOOL_ROLES or school is None or invited_by.has_role(Role.ADMIN):
        return
    overseen = [(r.role, r.programme) for r in user.roles if r.role in OVERSEEING_ROLES and r.programme is not None]
    if not overseen:
        return
    enrolled_in = set(db.session.scalars(
        select(ProgrammeYear.programme_id).join(Enrolment, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id == school.id, ProgrammeYear.programme_id.in_([p.id for _, p in overseen]))
    ))
    clash = next(((r, p) for r, p in overseen if p.id in enrolled_in), None)
    if clash is not None:
        clash_role, clash_programme = clash
        label = clash_role.label if clash_role.label[:2].isupper() else clash_role.label.lower()  # "QA expert"
        raise DomainError(
            f"{user.name} is a {label} in {clash_programme.name}, which {school.name} takes "
            f"part in. Only an administrator can give them a role at {school.name}.", field="email")


def grant_problem(user: User, role: Role, school: School | None, invited_by: User) -> str | None:
    """Why `invited_by` may not give `user` this role (as invite_user would refuse it), or None."""
    try:
        _check_may_grant(user, role, school, invited_by)
    except DomainError as error:
        return error.message
    return None


def _active_heads(school: School) -> list[User]:
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.school_id == school.id, RoleAssignment.role == Role.HEAD, User.active)
        .order_by(User.name)
    ))


def _send_invitation(user: User, context: dict) -> None:
    """Email the link to set a password (a new one: any earlier link still works until a password is set)."""
    link = absolute_url("auth.accept_invite", token=make_token(user, "invite"))
    hours = setting("INVITE_TOKEN_HOURS")
    queue_email(user.email, "You have been invited to SEND Triads",
                render_text("emails/invite.txt", link=link, days=hours // 24, **context))
    user.invited_at = clock.now()


def resend_invitation(assignment: RoleAssignment, sent_by: User) -> User:
    """Send the invitation for a role again, to someone who has not set their password yet."""
    user = assignment.user
    if user.has_password:
        raise DomainError(f"{user.name} has already set a password, so there is no invitation to send again")
    if not user.active:
        raise DomainError(f"{user.name}'s account is deactivated. Ask an administrator to reactivate it first")
    where = assignment.school or assignment.programme or assignment.cluster
    _send_invitation(user, {"user": user, "role": assignment.role, "where": where.name if where else "",
                            "invited_by": sent_by})
    return user


def roles_ended_by_moving(user: User, school: School) -> list[RoleAssignment]:
    """The head and SENCo roles `user` holds at other schools of a programme `school` takes part in: a role at
    `school` ends them (a person is staff of one school of a programme at a time)."""
    elsewhere = [r for r in user.roles if r.role in SCHOOL_ROLES and r.school_id not in (None, school.id)]
    if not elsewhere:
        return []
    programmes = select(ProgrammeYear.programme_id).join(Enrolment, Enrolment.year_id == ProgrammeYear.id).where(
        Enrolment.school_id == school.id)
    shared = set(db.session.scalars(
        select(Enrolment.school_id).join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id.in_({r.school_id for r in elsewhere}), ProgrammeYear.programme_id.in_(programmes))))
    return [r for r in elsewhere if r.school_id in shared]


def end_role(assignment: RoleAssignment, ended_by: User, reason: EndReason) -> EndedRole:
    """Take the role away, keeping its history. The person's access goes with it on their next request,
    as every permission reads the roles the person holds now."""
    ended = EndedRole(
        user_id=assignment.user_id, role=assignment.role, school_id=assignment.school_id,
        programme_id=assignment.programme_id, cluster_id=assignment.cluster_id,
        granted_at=assignment.created_at, granted_by_id=assignment.granted_by_id,
        ended_at=max(clock.now(), assignment.created_at), ended_by_id=ended_by.id, reason=reason)
    db.session.add(ended)
    assignment.user.roles.remove(assignment)
    db.session.flush()
    return ended


def end_school_role(assignment: RoleAssignment, ended_by: User, reason: EndReason) -> EndedRole:
    """End a head or SENCo role and email the person that it has ended."""
    person, school = assignment.user, assignment.school
    assert school is not None, "a head or SENCo role is held at a school"
    ended = end_role(assignment, ended_by, reason)
    queue_email(person.email, f"Your access to {school.name} in SEND Triads has been removed",
                render_text("emails/school_access_removed.txt", user=person, role=ended.role,
                            school=school, removed_by=ended_by))
    return ended


def invite_user(*, email: str, name: str, role: Role, invited_by: User, school: School | None = None,
                programme: Programme | None = None, cluster: Cluster | None = None) -> User:
    """Give a person a role, creating their account if needed, and email them a link.

    A new person gets a link to set their password; someone who already has an account is told
    about their new role. A school's heads are told when someone becomes its head or SENCo.
    """
    name = name.strip()
    email, _, scope = checked_together(lambda: check_email(email), lambda: check_full_name(name),
                                       lambda: _scope_for(role, school, programme, cluster))
    user = db.session.scalar(select(User).where(User.email == email))
    is_new = user is None
    if user is None:
        user = User(email=email, name=name, password_hash=None)
        db.session.add(user)
    else:
        _check_may_grant(user, role, scope["school"], invited_by)
    already = any(
        r.role == role and r.school is scope["school"] and r.programme is scope["programme"]
        and r.cluster is scope["cluster"]
        for r in user.roles
    )
    if already:
        raise DomainError(f"{user.name} is already a {role.label} there", field="email")
    if scope["school"] is not None:
        for elsewhere in roles_ended_by_moving(user, scope["school"]):
            end_school_role(elsewhere, invited_by, EndReason.MOVED)
    assignment = RoleAssignment(role=role, granted_by=invited_by, **scope)
    user.roles.append(assignment)
    db.session.flush()
    where = (scope["school"] or scope["programme"] or scope["cluster"])
    context = {"user": user, "role": role, "where": where.name, "invited_by": invited_by}
    if is_new or not user.has_password:
        _send_invitation(user, context)
    else:
        queue_email(user.email, "You have a new role in SEND Triads",
                    render_text("emails/new_role.txt", link=setting("SERVICE_URL"), **context))
    if role in SCHOOL_ROLES:
        handoffs.person_added(assignment, invited_by)
    return user


# --- who has access to a school's work -------------------------------------------------------

def school_access(school: School) -> list[RoleAssignment]:
    """The school's heads and SENCOs, each with who gave them the role: three queries however many."""
    return list(db.session.scalars(
        select(RoleAssignment).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.school_id == school.id, RoleAssignment.role.in_(SCHOOL_ROLES))
        .options(selectinload(RoleAssignment.user), selectinload(RoleAssignment.granted_by))
        .order_by(RoleAssignment.role, User.name)
    ))


class NoSuchAccess(DomainError):
    """The role is not a head or SENCo role at this school."""


def school_role(school: School, assignment_id: uuid.UUID) -> RoleAssignment:
    """One of the school's head or SENCo roles, by id. NoSuchAccess for anything else."""
    assignment = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.id == assignment_id, RoleAssignment.school_id == school.id,
        RoleAssignment.role.in_(SCHOOL_ROLES)))
    if assignment is None:
        raise NoSuchAccess("There is no such access to this school")
    return assignment


def remove_school_access(school: School, assignment_id: uuid.UUID, removed_by: User,
                         reason: EndReason = EndReason.REMOVED) -> RoleAssignment:
    """Take a person's head or SENCo role at the school away (kept as an ended role), and tell them. A school
    always keeps a head: the last one cannot remove themselves."""
    assignment = school_role(school, assignment_id)
    if assignment.role == Role.HEAD and assignment.user_id == removed_by.id:
        if not any(head.id != removed_by.id for head in _active_heads(school)):
            raise DomainError(f"You are the only headteacher of {school.name}, so you cannot remove your own "
                              "access. Ask the programme lead to add another headteacher first.")
    end_school_role(assignment, removed_by, reason)
    return assignment


def _check_confirmed(password: str, confirm: str) -> None:
    if password != confirm:
        raise DomainError("The passwords do not match", field="confirm")


def set_password(user: User, password: str, confirm: str) -> None:
    """Set a password (from an invitation or reset link). Signs out the user's other sessions."""
    checked_together(lambda: check_password(password), lambda: _check_confirmed(password, confirm))
    user.password_hash = generate_password_hash(password)
    user.session_version += 1


def request_password_reset(email: str) -> None:
    """Email a reset link when the address has an account. Says nothing either way (no enumeration)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return
    if not user.has_password:  # never finished their invitation: send that link again
        link = absolute_url("auth.accept_invite", token=make_token(user, "invite"))
        queue_email(user.email, "Set your password for SEND Triads",
                    render_text("emails/invite_again.txt", user=user, link=link))
        user.invited_at = clock.now()
        return
    link = absolute_url("auth.reset_password", token=make_token(user, "reset"))
    queue_email(user.email, "Reset your SEND Triads password",
                render_text("emails/reset.txt", user=user, link=link, hours=setting("RESET_TOKEN_HOURS")))
