"""Who is told when a self-evaluation changes hands: submitted (its head), signed off (the triad's other
schools and the QA expert), reopened (the SENCo), moderated with flags (the school), a flag answered (the QA
expert). Each notice says what happened and links to the self-evaluation; none carries what anyone wrote."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select

from app.common import clock
from app.common.links import Link
from app.extensions import db
from app.models import ModeratedRating, NoticeKind, QAVisit, Role, SelfEvaluation, TriadMember, User
from app.notifications.notices import Handoff, notify, staff_of


def _link(evaluation: SelfEvaluation) -> Link:
    return Link.to("self_evaluations.show", evaluation_id=evaluation.id)


def _whose(evaluation: SelfEvaluation) -> str:
    return f"{evaluation.school.name}'s self-evaluation for {evaluation.year.label}"


def _school_role(user: User, school_id: uuid.UUID, school_name: str) -> str | None:
    roles = [r.role.label for r in user.roles if r.school_id == school_id and r.role in (Role.HEAD, Role.SENCO)]
    return f"{roles[0]}, {school_name}" if roles else None


def _tell(evaluation: SelfEvaluation, kind: NoticeKind, event: str, summary: str, action: str, by: User,
          people: Iterable[User | None], sender_role: str | None = None) -> None:
    notify(Handoff(kind, event, summary, action, _link(evaluation), by), people,
           role_of_sender=sender_role or _school_role(by, evaluation.school_id, evaluation.school.name))


def _triad_partners(evaluation: SelfEvaluation) -> list[uuid.UUID]:
    """The other schools of the school's triad that year."""
    member = TriadMember.__table__.alias("member")
    return list(db.session.scalars(
        select(TriadMember.school_id).join(member, member.c.triad_id == TriadMember.triad_id)
        .where(member.c.school_id == evaluation.school_id, member.c.year_id == evaluation.year_id,
               TriadMember.school_id != evaluation.school_id)))


def _qa_expert(evaluation: SelfEvaluation) -> User | None:
    return db.session.scalar(select(User).join(QAVisit, QAVisit.expert_id == User.id).where(
        QAVisit.school_id == evaluation.school_id, QAVisit.year_id == evaluation.year_id))


def submitted(evaluation: SelfEvaluation, by: User) -> None:
    stamp = (evaluation.submitted_at or clock.now()).isoformat()
    _tell(evaluation, NoticeKind.SUBMITTED, f"submitted:{evaluation.id}:{stamp}",
          f"{by.name} submitted {_whose(evaluation)}", "Read the self-evaluation and sign it off", by,
          staff_of([evaluation.school_id], (Role.HEAD,)))


def signed_off(evaluation: SelfEvaluation, by: User) -> None:
    stamp = (evaluation.signed_off_at or clock.now()).isoformat()
    _tell(evaluation, NoticeKind.SIGNED_OFF, f"signed-off:{evaluation.id}:{stamp}",
          f"{by.name} signed off {_whose(evaluation)}", "Read the self-evaluation", by,
          [*staff_of(_triad_partners(evaluation)), _qa_expert(evaluation)])


def reopened(evaluation: SelfEvaluation, by: User) -> None:
    _tell(evaluation, NoticeKind.REOPENED, f"reopened:{evaluation.id}:{clock.now().isoformat()}",
          f"{by.name} reopened {_whose(evaluation)} for editing", "Read why, and carry on with it", by,
          staff_of([evaluation.school_id], (Role.SENCO,)))


def flagged(evaluation: SelfEvaluation, by: User, flags: list[tuple[int, int | None]]) -> None:
    """The school is told of the areas newly flagged by this moderation (area number, moderated level)."""
    if not flags:
        return
    areas = ", ".join(str(position) for position, _ in flags)
    event = f"flagged:{evaluation.id}:" + ",".join(f"{position}={level}" for position, level in flags)
    plural = "s" if len(flags) != 1 else ""
    _tell(evaluation, NoticeKind.FLAGGED, event,
          f"{by.name} moderated {_whose(evaluation)} and flagged area{plural} {areas}, "
          "where the moderated rating is far from the school's own", f"Respond to the flagged area{plural}", by,
          staff_of([evaluation.school_id]), sender_role="QA expert")


def flag_answered(evaluation: SelfEvaluation, by: User, moderated: ModeratedRating, position: int) -> None:
    _tell(evaluation, NoticeKind.FLAG_RESPONSE, f"flag-response:{moderated.id}:{clock.now().isoformat()}",
          f"{by.name} responded to your moderated rating of area {position} in {_whose(evaluation)}",
          "Read the response", by, [_qa_expert(evaluation)])
