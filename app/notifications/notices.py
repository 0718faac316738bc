"""Hand-off notices: telling the people whose turn it is now. Each hand-off is a notice in the service (the
Notifications page) and an email, as it happens or in the person's daily summary. A notice says what
happened, what to do and links to it; it never carries what a school wrote.

Each is keyed by the event and the person, so it is written once however often the same event is
reported (a retried request, two schedulers sending the daily summaries)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from app.common import clock
from app.common.errors import DomainError
from app.common.links import Link, path_of, service_url
from app.common.settings import render_text
from app.extensions import db
from app.models import Notice, NoticeFrequency, NoticeKind, Role, RoleAssignment, User
from app.notifications.email import queue_email

STAFF = (Role.HEAD, Role.SENCO)
SHOWN = 50  # notices listed on the Notifications page, newest first


@dataclass(frozen=True)
class Handoff:
    """One event that hands work to others."""

    kind: NoticeKind
    event: str  # names the event (with what it is about and when); with a person's id, the notice's key
    summary: str  # what happened, a sentence without its full stop: "Catkin Hill School submitted ..."
    action: str  # what to do there, the link's text: "Read and sign off the self-evaluation"
    link: Link
    by: User | None = None  # who did it; they are not told of their own doing


def sent_by(user: User | None, role: str | None = None) -> str | None:
    if user is None:
        return None
    return f"{user.name}, {role}" if role else user.name


def staff_of(school_ids: Iterable[uuid.UUID], roles: tuple[Role, ...] = STAFF) -> list[User]:
    """The active people holding these roles at these schools, each once, in one query."""
    ids = set(school_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.school_id.in_(ids), RoleAssignment.role.in_(roles), User.active)
        .distinct().order_by(User.name)))


def staff_by_role(school_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, Role], list[User]]:
    """Each school's active heads and SENCOs, by school and role, by name, in one query."""
    found: dict[tuple[uuid.UUID, Role], list[User]] = {}
    ids = set(school_ids)
    if not ids:
        return found
    for school_id, role, person in db.session.execute(
            select(RoleAssignment.school_id, RoleAssignment.role, User).join(User, User.id == RoleAssignment.user_id)
            .where(RoleAssignment.school_id.in_(ids), RoleAssignment.role.in_(STAFF), User.active)
            .order_by(User.name)):
        if school_id is not None:
            found.setdefault((school_id, role), []).append(person)
    return found


def staff_by_school(school_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[User]]:
    """Each school's active heads and SENCOs, by name (someone at two schools is under both, once each)."""
    found: dict[uuid.UUID, dict[uuid.UUID, User]] = {}
    for (school_id, _role), people in staff_by_role(school_ids).items():
        found.setdefault(school_id, {}).update((p.id, p) for p in people)
    return {school_id: sorted(people.values(), key=lambda p: p.name) for school_id, people in found.items()}


def notify(handoff: Handoff, people: Iterable[User | None], *, role_of_sender: str | None = None,
           email: bool = True) -> int:
    """Give each active person (not the one who did it) a notice of the hand-off, once, and email it to
    those who take their notices as they happen. Returns how many were told. `email=False`: the caller
    sends its own email as it happens, so the notice counts as emailed (and no daily summary repeats it)."""
    told = {p.id: p for p in people if p is not None and p.active and (handoff.by is None or p.id != handoff.by.id)}
    if not told:
        return 0
    keys = {person_id: f"{handoff.event}:{person_id}"[:200] for person_id in told}
    taken = set(db.session.scalars(select(Notice.dedupe_key).where(Notice.dedupe_key.in_(keys.values()))))
    path, now, by = path_of(handoff.link), clock.now(), sent_by(handoff.by, role_of_sender)
    count = 0
    for person_id, person in told.items():
        if keys[person_id] in taken:
            continue
        notice = Notice(user_id=person_id, kind=handoff.kind, summary=handoff.summary[:300],
                        action=handoff.action[:200], path=path, sent_by=by, created_at=now, dedupe_key=keys[person_id])
        db.session.add(notice)
        if not email:
            notice.emailed_at = now
        elif person.notice_frequency == NoticeFrequency.IMMEDIATE:
            _email_now(person, notice)
        count += 1
    db.session.flush()
    return count


def _email_now(person: User, notice: Notice) -> None:
    queue_email(person.email, notice.summary, render_text(
        "emails/notice.txt", user=person, notice=notice, link=service_url(notice.path),
        settings=service_url(path_of(Link.to("notices.settings")))), key=f"notice:{notice.dedupe_key}"[:200])
    notice.emailed_at = notice.created_at


def queue_daily_summaries(now: datetime) -> int:
    """One email to each person taking a daily summary, of the notices not yet emailed to them. Keyed by
    the person and the day, so a second scheduler writes nothing more; a notice is marked emailed only
    when the summary naming it was queued (one arriving after that day's summary waits for the next)."""
    pending = db.session.execute(
        select(User, Notice).join(Notice, Notice.user_id == User.id)
        .where(Notice.emailed_at.is_(None), User.active, User.notice_frequency == NoticeFrequency.DAILY)
        .order_by(User.id, Notice.created_at)).all()
    by_person: dict[uuid.UUID, tuple[User, list[Notice]]] = {}
    for person, notice in pending:
        by_person.setdefault(person.id, (person, []))[1].append(notice)
    day = clock.in_london(now).date().isoformat()
    queued = 0
    for person, notices in by_person.values():
        body = render_text("emails/notice_summary.txt", user=person,
                           items=[(notice, service_url(notice.path)) for notice in notices],
                           link=service_url(path_of(Link.to("notices.index"))),
                           settings=service_url(path_of(Link.to("notices.settings"))))
        subject = f"SEND Triads: {len(notices)} update{'s' if len(notices) != 1 else ''} for you"
        if queue_email(person.email, subject, body, key=f"notice-summary:{person.id}:{day}") is None:
            continue
        db.session.execute(update(Notice).where(Notice.id.in_([n.id for n in notices])).values(emailed_at=now))
        queued += 1
    db.session.flush()
    return queued


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notice)
                             .where(Notice.user_id == user.id, Notice.read_at.is_(None))) or 0


def notices_for(user: User) -> list[Notice]:
    """The person's latest notices, newest first."""
    return list(db.session.scalars(select(Notice).where(Notice.user_id == user.id)
                                   .order_by(Notice.created_at.desc(), Notice.id).limit(SHOWN)))


def open_notice(notice: Notice) -> str:
    """Mark the notice read; the address of the page it links to."""
    if notice.read_at is None:
        notice.read_at = clock.now()
    return notice.path


def mark_all_read(user: User) -> int:
    result: Any = db.session.execute(update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
                                     .values(read_at=clock.now()))
    return int(result.rowcount)


def set_frequency(user: User, choice: str | None) -> None:
    """How the person's hand-off emails go: as they happen, or in a daily summary."""
    try:
        user.notice_frequency = NoticeFrequency(choice or "")
    except ValueError:
        raise DomainError("Choose how we should email you", field="frequency") from None
