"""The tasks of a school's headteacher and SENCo, and of a coach school's, worked out from SchoolData.

The SENCo writes (the self-evaluation, the plan, progress, answers, key learnings); the head signs off,
finalises and decides on sharing. A head whose school has no SENCo does the writing too; one whose school
has a SENCo sees the writing as waiting for the SENCo. The coach school's staff book the triad's meetings
and peer visits and write them up."""
from __future__ import annotations

import uuid
from datetime import date

from app.action_plans.progress import is_overdue
from app.common import clock, dates
from app.common.links import Link
from app.home.schools import SchoolData, load_school_data
from app.home.tasks import Group, Task, TaskList, TaskStatus
from app.models import (
    MAX_LEARNINGS,
    MEETINGS_PER_YEAR,
    DeadlineKind,
    EvaluationStatus,
    PlanStatus,
    Role,
    School,
    User,
)

TODO, WAITING, DONE = TaskStatus.TODO, TaskStatus.WAITING, TaskStatus.DONE


class _Place:
    """One person at one school in its latest open year: who they are there, and what is known of it."""

    def __init__(self, user: User, school: School, data: SchoolData):
        self.school, self.data = school, data
        roles = {r.role for r in user.roles if r.school_id == school.id}
        staff = data.staff.get(school.id, {})
        self.sencos = staff.get(Role.SENCO, [])
        self.heads = staff.get(Role.HEAD, [])
        self.is_head = Role.HEAD in roles
        self.writes = Role.SENCO in roles or not self.sencos
        self.enrolment = data.enrolments[school.id]
        self.year = self.enrolment.year
        self.due = data.deadlines.get(self.year.id, {})
        self.group = Group(school.name, f"Your school, {self.year.label}",
                           Link.to("programmes.school", school_id=school.id))

    def writing(self, text: str, link: Link | None, *, due_on: date | None = None, hint: str | None = None) -> Task:
        """A task for the SENCo: to do for whoever writes, waiting (for the SENCo) for a head who does not."""
        if self.writes:
            return Task(text, TODO, self.group, link, due_on, hint)
        with_whom = f"With {', '.join(self.sencos)}"
        return Task(text, WAITING, self.group, link, due_on, f"{with_whom}. {hint}" if hint else with_whom)

    def heads_task(self, text: str, link: Link, hint: str | None = None, due_on: date | None = None) -> Task:
        if self.is_head:
            return Task(text, TODO, self.group, link, due_on, hint)
        return Task(text, WAITING, self.group, link, due_on, f"With {', '.join(self.heads) or 'your headteacher'}")


def _evaluation_tasks(place: _Place) -> list[Task | None]:
    evaluation = place.data.evaluations.get((place.school.id, place.year.id))
    if evaluation is None:
        return [place.writing("Start the self-evaluation", Link.to("programmes.school", school_id=place.school.id),
                              due_on=place.due.get(DeadlineKind.SUBMITTED))]
    link = Link.to("self_evaluations.show", evaluation_id=evaluation.id)
    if evaluation.status == EvaluationStatus.DRAFT:
        done = sum(r.is_complete for r in evaluation.ratings)
        return [place.writing("Finish and submit the self-evaluation", link,
                              due_on=place.due.get(DeadlineKind.SUBMITTED),
                              hint=f"{done} of {len(evaluation.ratings)} areas done")]
    tasks: list[Task | None] = [place.writing(f"Respond to the QA expert's rating of area {position}",
                                              Link.to("self_evaluations.respond", evaluation_id=evaluation.id,
                                                      position=position), hint="Flagged by moderation")
                                for position in place.data.flags.get(evaluation.id, [])]
    if evaluation.status == EvaluationStatus.SUBMITTED:
        submitted = evaluation.submitted_at
        tasks.append(place.heads_task("Sign off the self-evaluation", link,
                                      hint=f"Submitted {dates.day(clock.in_london(submitted).date())}" if submitted
                                      else None, due_on=place.due.get(DeadlineKind.SIGNED_OFF)))
    else:
        signed = evaluation.signed_off_at
        tasks.append(Task("Self-evaluation signed off", DONE, place.group, link,
                          done_on=clock.in_london(signed).date() if signed else None))
    tasks.append(_sharing_task(place, link))
    return tasks


def _sharing_task(place: _Place, link: Link) -> Task | None:
    """The head decides, once the self-evaluation is in, whether the programme lead may read it and the plan."""
    decided, sharing = place.enrolment.sharing_decided_at, Link.to(link.endpoint, **link.values, _anchor="sharing")
    if decided is None:
        if not place.is_head:
            return None
        return place.heads_task("Decide whether to share your self-evaluation and plan with the programme lead",
                                sharing, hint="Until you do, the lead sees only counts across schools")
    shared = "Shared" if place.enrolment.shared_with_lead else "Not shared"
    return Task(f"{shared} with the programme lead", DONE, place.group, sharing,
                done_on=clock.in_london(decided).date())


def _plan_tasks(place: _Place) -> list[Task | None]:
    plan = place.data.plans.get((place.school.id, place.year.id))
    evaluation = place.data.evaluations.get((place.school.id, place.year.id))
    if plan is None:
        if evaluation is None:
            return []
        return [place.writing("Start the action plan", Link.to("programmes.school", school_id=place.school.id),
                              due_on=place.due.get(DeadlineKind.PLANS_FINALISED))]
    link = Link.to("action_plans.show", plan_id=plan.id)
    due = place.due.get(DeadlineKind.PLANS_FINALISED) if plan.version == 1 else None
    if plan.status == PlanStatus.DRAFT:
        count = len(plan.actions)
        actions = f"{count} action{'s' if count != 1 else ''} so far"
        if not count:
            return [place.writing("Write the action plan", link, hint=actions, due_on=due)]
        return [place.writing("Finish the action plan", link, hint=actions, due_on=due),
                place.heads_task("Finalise the action plan", link, hint=actions, due_on=due)]
    overdue = sum(is_overdue(action, clock.today()) for action in plan.actions)
    return [Task(f"Action plan finalised (version {plan.version})", DONE, place.group, link,
                 done_on=clock.in_london(plan.updated_at).date()), _progress_task(place, plan),
            place.writing(f"Update {overdue} overdue action{'s' if overdue != 1 else ''} in the action plan", link,
                          hint="Past their due dates and not complete") if overdue else None]


def _progress_task(place: _Place, plan) -> Task | None:
    """Progress on the actions before meeting 2, then 3: due when no progress has been recorded since the
    meeting before it began."""
    member = place.data.triads.get(place.school.id)
    meetings = place.data.meetings.get(member.triad_id, {}) if member else {}
    last = place.data.last_progress.get(plan.id)
    for number in (2, 3):
        meeting, before = meetings.get(number), meetings.get(number - 1)
        if meeting is None or meeting.held or meeting.starts_at < clock.now():
            continue
        if last is None or (before is not None and last < before.starts_at):
            return place.writing(f"Record progress on your actions before meeting {number}", Link.to(
                "action_plans.show", plan_id=plan.id), due_on=clock.in_london(meeting.starts_at).date())
        return None
    return None


def _request_tasks(place: _Place) -> list[Task | None]:
    return [place.writing(f"Answer “{recipient.request.title}”", Link.to("requests.answer", recipient_id=recipient.id),
                          due_on=recipient.request.due_on, hint="An information request")
            for recipient in place.data.asked.get(place.school.id, [])]


def _learning_tasks(place: _Place) -> list[Task | None]:
    """The triad's key learnings, from when its third meeting is booked or someone has started them."""
    member = place.data.triads.get(place.school.id)
    if member is None:
        return []
    submission, written = place.data.celebrations.get(member.triad_id, (None, 0))
    if submission is None and 3 not in place.data.meetings.get(member.triad_id, {}):
        return []
    link = Link.to("celebration.show", triad_id=member.triad_id)
    if submission is not None and submission.is_submitted:
        return [Task(f"{member.triad.name}'s key learnings submitted", DONE, place.group, link,
                     done_on=clock.in_london(submission.submitted_at).date() if submission.submitted_at else None)]
    return [place.writing(f"Write {member.triad.name}'s key learnings for the celebration", link,
                          hint=f"{written} of {MAX_LEARNINGS} written", due_on=place.due.get(DeadlineKind.LEARNINGS))]


def _coach_tasks(user: User, place: _Place) -> list[Task | None]:
    """Book meetings 1 to 3 and the peer visits to the other two schools; write each up afterwards."""
    member = place.data.triads.get(place.school.id)
    if member is None or not member.is_coach:
        return []
    triad, now = member.triad, clock.now()
    group = Group(triad.name, f"Your school coaches, {place.year.label}",
                  Link.to("programmes.triad", triad_id=triad.id))
    coach = _Place(user, place.school, place.data)
    coach.group = group
    tasks: list[Task | None] = []
    meetings = place.data.meetings.get(triad.id, {})
    for number in range(1, MEETINGS_PER_YEAR + 1):
        meeting = meetings.get(number)
        if meeting is None:
            tasks.append(coach.writing(f"Book triad meeting {number}",
                                       Link.to("scheduling.meeting", triad_id=triad.id, number=number)))
        elif meeting.held:
            tasks.append(Task(f"Meeting {number} held", DONE, group, Link.to("programmes.triad", triad_id=triad.id),
                              done_on=clock.in_london(meeting.starts_at).date()))
        elif meeting.starts_at < now:
            tasks.append(coach.writing(f"Record meeting {number}: who came, and the notes",
                                       Link.to("scheduling.record", meeting_id=meeting.id),
                                       due_on=clock.in_london(meeting.starts_at).date()))
    late = sum(place.data.coached_overdue.get(other.school_id, 0) for other in triad.members
               if other.school_id != place.school.id)
    if late:
        tasks.append(Task(f"Follow up {late} overdue action{'s' if late != 1 else ''} in {triad.name}'s other "
                          "schools' plans", TODO, group, Link.to("action_plans.triad", triad_id=triad.id),
                          hint="From their finalised plans"))
    visits = place.data.visits.get(triad.id, {})
    for other in (m for m in triad.members if not m.is_coach):
        visit = visits.get(other.school_id)
        if visit is None:
            tasks.append(coach.writing(f"Book the peer visit to {other.school.name}",
                                       Link.to("scheduling.peer_visit", triad_id=triad.id, school_id=other.school_id)))
        elif visit.notes_at is not None:
            tasks.append(Task(f"Notes of the visit to {other.school.name} written", DONE, group,
                              Link.to("scheduling.show_visit", visit_id=visit.id),
                              done_on=clock.in_london(visit.notes_at).date()))
        elif visit.starts_at < now:
            tasks.append(coach.writing(f"Write the notes of the visit to {other.school.name}",
                                       Link.to("scheduling.visit_notes", visit_id=visit.id),
                                       due_on=clock.in_london(visit.starts_at).date()))
    return tasks


def add_school_tasks(tasks: TaskList, user: User, school_ids: set[uuid.UUID]) -> None:
    """The person's tasks at each of their schools in its latest open year."""
    data = load_school_data(school_ids)
    for school in data.schools:
        enrolment = data.enrolments.get(school.id)
        if enrolment is None or enrolment.year.is_closed:
            tasks.place(Group(school.name, "Your school", Link.to("programmes.school", school_id=school.id)))
            continue
        place = _Place(user, school, data)
        tasks.place(place.group)
        member = data.triads.get(school.id)
        if member is not None:
            tasks.place(Group(member.triad.name, f"Your school's triad, {place.year.label}",
                              Link.to("programmes.triad", triad_id=member.triad_id)))
        else:
            tasks.add(Task("Your school is not in a triad yet", WAITING, place.group,
                           hint="The programme lead places schools in triads"))
        for produce in (_request_tasks, _evaluation_tasks, _plan_tasks, _learning_tasks):
            tasks.add(*produce(place))
        tasks.add(*_coach_tasks(user, place))
        tasks.place(Group("Practice library", f"What worked in {place.year.programme.name}",
                          Link.to("celebration.library", programme_id=place.year.programme_id)))
    tasks.key_dates += [(f"{event.kind.label}, {event.place}" if event.place else event.kind.label, event.starts_at,
                         Link.to("calendars.event_ics", event_id=event.id)) for event in data.events]

