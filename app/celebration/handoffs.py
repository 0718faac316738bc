"""Who is told when a triad's key learnings change hands: returned by the programme lead for changes (the
triad's three schools). The notice names the triad and the year and links to its learnings; never what a
learning says."""
from __future__ import annotations

from datetime import datetime

from app.common.links import Link
from app.models import CelebrationSubmission, NoticeKind, Role, User
from app.notifications.notices import Handoff, notify, staff_of


def returned(submission: CelebrationSubmission, by: User, was_submitted_at: datetime) -> None:
    """`was_submitted_at`: when the returned learnings were submitted, so each submission is returned once."""
    triad = submission.triad
    notify(Handoff(NoticeKind.LEARNINGS_RETURNED,
                   f"learnings-returned:{submission.id}:{was_submitted_at.isoformat()}",
                   f"{by.name} returned {triad.name}'s key learnings for {triad.year.label} for changes",
                   "Change the key learnings and submit them again",
                   Link.to("celebration.show", triad_id=triad.id), by),
           staff_of(m.school_id for m in triad.members), role_of_sender=Role.PROGRAMME_LEAD.label)
