"""Chasers for programme deadlines. DEADLINE_CHASE_BEFORE_DAYS working days before each open year's deadline,
and DEADLINE_CHASE_AFTER_DAYS working days after it (weekends, England's bank holidays and the programme's
closure days skipped, as information requests count them), each person who has not done what it asks gets a
notice and its email. Each is keyed by the deadline and its date, before or after, the school or triad and the
person, so it goes once however many schedulers run the job, and a moved date chases again.

The lead can chase too, from the deadlines page: who will be told and the message are shown first, and what is
sent is keyed by the day, so pressing Send twice in a day sends nothing more.

A chaser says what is due, by when, and links to where it is done; never anything a school wrote."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from app.common import clock, dates
from app.common.links import Link, path_of, service_url
from app.common.settings import render_text, setting
from app.common.working_days import add_working_days, working_days_before
from app.deadlines.service import WORDING, Outstanding, deadlines_for, outstanding
from app.extensions import db
from app.information_requests.service import closures_for
from app.models import Deadline, DeadlineKind, Notice, NoticeKind, ProgrammeYear, Role, User
from app.notifications.notices import Handoff, notify, sent_by

# An after-chaser still goes this many days late (after a scheduler was down), and no later.
LATE_DAYS = 7
# A deadline further back than this has nothing left to chase (bounds the job's query).
LOOK_BACK_DAYS = 60

# What is due, for the sentence that says when: (what, done as, plural).
_WHAT = {
    DeadlineKind.SUBMITTED: ("{name}'s self-evaluation for {year}", "submitted", False),
    DeadlineKind.SIGNED_OFF: ("{name}'s self-evaluation for {year}", "signed off", False),
    DeadlineKind.PLANS_FINALISED: ("{name}'s action plan for {year}", "finalised", False),
    DeadlineKind.LEARNINGS: ("{name}'s key learnings for {year}", "submitted", True),
    DeadlineKind.QA_VISITS: ("The QA visit to {name} for {year}", "done", False),
}
ACTION = {
    DeadlineKind.SUBMITTED: "Complete the self-evaluation and submit it",
    DeadlineKind.SIGNED_OFF: "Read the self-evaluation and sign it off",
    DeadlineKind.PLANS_FINALISED: "Complete the action plan and finalise it",
    DeadlineKind.LEARNINGS: "Write the key learnings and submit them",
    DeadlineKind.QA_VISITS: "Go to the school's page",
}


def summary(kind: DeadlineKind, item: Outstanding, year: ProgrammeYear, due_on: date | None, today: date) -> str:
    """"Catkin Hill School's self-evaluation for 2025/26 is due to be submitted by Friday 13 March 2026"."""
    what, done, plural = _WHAT[kind]
    what = what.format(name=item.name, year=year.label)
    if due_on is None:
        return f"{what} {'have' if plural else 'has'} not been {done} yet"
    if due_on >= today:
        return f"{what} {'are' if plural else 'is'} due to be {done} by {dates.weekday(due_on)}"
    return f"{what} {'were' if plural else 'was'} due to be {done} by {dates.weekday(due_on)}"


def _one_at_a_time() -> None:
    """Chasers are written by one transaction at a time, so a second scheduler (or a second press of Send) sees
    what the first wrote and writes nothing twice. PostgreSQL: a transaction-scoped advisory lock. SQLite: the
    write transaction already holds the database's only write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('deadline-chasers', 0))"))


def chase_moment(due_on: date, today: date, closures: set[date]) -> str | None:
    """"before" from the working day DEADLINE_CHASE_BEFORE_DAYS before the date to the date itself, "after" from
    the working day DEADLINE_CHASE_AFTER_DAYS after it (for LATE_DAYS more, if the scheduler missed it), else None.
    A setting of 0 sends no chaser of that kind."""
    before, after = setting("DEADLINE_CHASE_BEFORE_DAYS"), setting("DEADLINE_CHASE_AFTER_DAYS")
    if before and working_days_before(due_on, before, closures) <= today <= due_on:
        return "before"
    if after and (late := add_working_days(due_on, after, closures)) <= today <= late + timedelta(days=LATE_DAYS):
        return "after"
    return None


def queue_deadline_chasers(now: datetime) -> int:
    """The chasers due at this moment for every open year's deadlines; how many people were told."""
    _one_at_a_time()
    today = clock.in_london(now).date()
    deadlines = db.session.scalars(
        select(Deadline).join(ProgrammeYear, Deadline.year_id == ProgrammeYear.id)
        .where(ProgrammeYear.is_closed.is_(False), Deadline.due_on >= today - timedelta(days=LOOK_BACK_DAYS))
        .order_by(Deadline.year_id, Deadline.kind).options(selectinload(Deadline.year))).all()
    closures: dict = {}
    due_by_year: dict[ProgrammeYear, list[tuple[Deadline, str]]] = defaultdict(list)
    for deadline in deadlines:
        programme_id = deadline.year.programme_id
        if programme_id not in closures:
            closures[programme_id] = closures_for(programme_id)
        if moment := chase_moment(deadline.due_on, today, closures[programme_id]):
            due_by_year[deadline.year].append((deadline, moment))
    told = 0
    for year, due in due_by_year.items():
        left = outstanding(year, now)
        for deadline, moment in due:
            for item in left[deadline.kind]:
                told += notify(Handoff(
                    NoticeKind.CHASER,
                    f"deadline:{year.id}:{deadline.kind.value}:{deadline.due_on.isoformat()}:{moment}:{item.id}",
                    summary(deadline.kind, item, year, deadline.due_on, today), ACTION[deadline.kind], item.link),
                    item.people)
    return told


@dataclass(frozen=True)
class _Message:
    """A notice as its email shows it (templates/emails/notice.txt)."""

    summary: str
    action: str
    sent_by: str | None


@dataclass(frozen=True)
class Chase:
    """The lead's chase before it is sent: whom, and the message as it will go."""

    year: ProgrammeYear
    kind: DeadlineKind
    due_on: date | None
    items: list[Outstanding]
    reminded: set  # ids of the schools or triads whose people were all reminded today
    title: str  # "Chase the 7 schools that have not submitted"
    all_done: str
    subject: str  # the first one's, as an example
    body: str

    @property
    def can_tell(self) -> bool:
        return any(item.people for item in self.items)

    @property
    def to_remind(self) -> int:
        return sum(1 for item in self.items if item.people and item.id not in self.reminded)


def _sender(year: ProgrammeYear) -> str:
    return f"{Role.PROGRAMME_LEAD.label}, {year.programme.name}"


def _chase_key(year: ProgrammeYear, kind: DeadlineKind, today: date, item: Outstanding) -> str:
    return f"deadline-chase:{year.id}:{kind.value}:{today.isoformat()}:{item.id}"


def chase_preview(year: ProgrammeYear, kind: DeadlineKind, by: User) -> Chase:
    """Who has not done it, who would be told, and the first message exactly as its email will read."""
    today = clock.today()
    due_on = deadlines_for([year.id])[year.id].get(kind)
    items = outstanding(year, clock.now())[kind]
    keys = {f"{_chase_key(year, kind, today, item)}:{person.id}": item.id for item in items for person in item.people}
    taken = set(db.session.scalars(select(Notice.dedupe_key).where(Notice.dedupe_key.in_(keys)))) if keys else set()
    reminded = {item.id for item in items if item.people and all(
        f"{_chase_key(year, kind, today, item)}:{person.id}" in taken for person in item.people)}
    subject = body = ""
    if items:
        message = _Message(summary(kind, items[0], year, due_on, today), ACTION[kind], sent_by(by, _sender(year)))
        subject = message.summary
        body = render_text("emails/notice.txt", notice=message, link=service_url(path_of(items[0].link)),
                           settings=service_url(path_of(Link.to("notices.settings"))))
    wording = WORDING[kind]
    return Chase(year, kind, due_on, items, reminded, wording.chase(len(items)), wording.all_done, subject, body)


@dataclass(frozen=True)
class Chased:
    kind: DeadlineKind
    sent: int  # schools or triads with someone newly told
    already: int  # reminded earlier today


def send_chase(year: ProgrammeYear, kind: DeadlineKind, by: User) -> Chased:
    """Send the lead's chase: a notice and email to each person who has not done it, once a day."""
    year.require_open("no reminders can be sent")
    _one_at_a_time()
    today = clock.today()
    due_on = deadlines_for([year.id])[year.id].get(kind)
    sent = already = 0
    for item in outstanding(year, clock.now())[kind]:
        if not item.people:
            continue
        told = notify(Handoff(NoticeKind.CHASER, _chase_key(year, kind, today, item),
                              summary(kind, item, year, due_on, today), ACTION[kind], item.link, by),
                      item.people, role_of_sender=_sender(year))
        sent, already = (sent + 1, already) if told else (sent, already + 1)
    return Chased(kind, sent, already)


def chased_message(chased: Chased) -> str:
    """"Reminders sent to 7 schools", or "These schools were already reminded today"."""
    wording = WORDING[chased.kind]
    if chased.sent:
        reminders = "Reminders" if chased.sent != 1 else "Reminder"
        about = "for" if chased.kind == DeadlineKind.QA_VISITS else "to"  # a QA visit's expert is told
        return f"{reminders} sent {about} {wording.count(chased.sent)}"
    if chased.already == 1:
        return f"This {wording.one} was already reminded today"
    if chased.already:
        return f"These {wording.many} were already reminded today"
    return "There was nobody to remind"
