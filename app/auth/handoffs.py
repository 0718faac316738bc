"""Who is told when someone is given access to a school's work: its heads (not the person added). The email
they have always had is the notice's email, sent at once whatever their email setting, because it is about
who can now read the school's work; the notice shows on their Notifications page too."""
from __future__ import annotations

from app.common.links import Link, absolute_url
from app.common.settings import render_text
from app.models import NoticeKind, Role, RoleAssignment, School, User
from app.notifications.email import queue_email
from app.notifications.notices import STAFF, Handoff, notify, staff_of


def _role_of(user: User, school: School) -> str | None:
    """Who gave the access, as the notice signs it: their role at the school, else as administrator or lead."""
    at_school = next((f"{r.role.label}, {school.name}" for r in user.roles
                      if r.school_id == school.id and r.role in STAFF), None)
    return at_school or next((r.role.label for r in user.roles if r.role in (Role.ADMIN, Role.PROGRAMME_LEAD)), None)


def person_added(assignment: RoleAssignment, invited_by: User) -> None:
    """`assignment`: the head or SENCo role just given. Each grant is told once (its id is in the key)."""
    school, user, role = assignment.school, assignment.user, assignment.role
    if school is None:
        return
    heads = [head for head in staff_of([school.id], (Role.HEAD,)) if head.id != user.id]
    event = f"person-added:{assignment.id}"
    notify(Handoff(NoticeKind.PERSON_ADDED, event, f"{invited_by.name} made {user.name} {role.label} at {school.name}",
                   "See who has access to the school's work", Link.to("programmes.school", school_id=school.id),
                   invited_by), heads, role_of_sender=_role_of(invited_by, school), email=False)
    link = absolute_url("programmes.school", school_id=school.id)
    for head in heads:  # the one who gave the access, if a head, is emailed too (as always), with no notice
        queue_email(head.email, f"{user.name} now has access to {school.name} in SEND Triads",
                    render_text("emails/school_access_added.txt", head=head, user=user, role=role,
                                school=school, invited_by=invited_by, link=link),
                    key=f"notice:{event}:{head.id}"[:200])
