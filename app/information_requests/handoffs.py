"""Who is told when an information request is sent: the staff of each school asked, once each, with a link
to their school's answer page. The notice names who asked, the request's title (written for the schools by
the lead) and the due date; never the details asked for, nor any answer."""
from __future__ import annotations

from sqlalchemy import select

from app.common import dates
from app.common.links import Link
from app.extensions import db
from app.models import InformationRequest, NoticeKind, Role, School, User
from app.notifications.notices import Handoff, notify, staff_by_school


def sent(request: InformationRequest, by: User) -> None:
    """Someone at two of the schools asked is told once (the event names the request, not the school), of the
    first by name; their home page lists both."""
    asked = {r.school_id: r for r in request.recipients}
    schools = db.session.scalars(select(School).where(School.id.in_(asked)).order_by(School.name))
    staff = staff_by_school(set(asked))
    sender = (f"{Role.CLUSTER_LEAD.label}, {request.cluster.name}" if request.cluster is not None
              else f"{Role.PROGRAMME_LEAD.label}, {request.year.programme.name}")
    for school in list(schools):
        notify(Handoff(NoticeKind.REQUEST_SENT, f"request-sent:{request.id}",
                       f"{by.name} asked {school.name} for information: “{request.title}”, "
                       f"due by {dates.day(request.due_on)}",
                       "Answer the request", Link.to("requests.answer", recipient_id=asked[school.id].id), by),
               staff.get(school.id, []), role_of_sender=sender)
