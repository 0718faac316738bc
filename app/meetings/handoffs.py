"""Who is told when a peer visit's notes are written: the visited school (the notes are for it and the coach
school only). The notice names the schools and the day of the visit and links to the notes; never what
they say."""
from __future__ import annotations

from app.common import dates
from app.common.links import Link
from app.models import NoticeKind, PeerVisit, User
from app.notifications.notices import STAFF, Handoff, notify, staff_of


def visit_notes_written(visit: PeerVisit, by: User) -> None:
    """The visited school is told once, when the notes are first saved with the Save button: it reads the
    latest from then on (autosaves and later saves tell nobody)."""
    coach = visit.triad.coach  # the coach school's staff write the notes
    role = next((f"{r.role.label}, {coach.school.name}" for r in by.roles
                 if coach is not None and r.school_id == coach.school_id and r.role in STAFF), None)
    notify(Handoff(NoticeKind.VISIT_NOTES, f"visit-notes:{visit.id}",
                   f"{by.name} wrote the notes of the peer visit to {visit.visited_school.name} "
                   f"on {dates.day(visit.starts_at)}", "Read the visit notes",
                   Link.to("scheduling.show_visit", visit_id=visit.id), by),
           staff_of([visit.visited_school_id]), role_of_sender=role)
