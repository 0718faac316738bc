"""The demo's current academic year, open, as it stands today: what is dated before now has happened
(self-evaluations submitted, meetings held, notes written, answers sent), what is dated after is booked
or still to do, so the task lists, "Coming up", the overdue actions and the late answers are real."""
from __future__ import annotations

from datetime import date, timedelta

from app.clusters.service import cluster_people, schedule_cluster_meeting, set_cluster_leads
from app.deadlines.service import set_deadlines
from app.demo.northbrook import (
    DEMO_ACTIONS,
    DEMO_LEARNINGS,
    DEMO_LEVELS,
    DEMO_MODERATED,
    DEMO_REVIEWS,
    DEMO_SCHOOLS,
    DEMO_SIGNED_OFF,
    DEMO_SUBMITTED,
    DEMO_TRIADS,
    PLAN_FINALISED,
    SIGN_OFF_DAYS,
    demo_email,
)
from app.demo.timeline import DemoYear, YearDay
from app.demo.work import (
    People,
    head_of,
    senco_of,
    write_action_plan,
    write_celebration,
    write_events,
    write_peer_visit,
    write_qa_visit,
    write_self_evaluation,
    write_triad_meetings,
)
from app.extensions import db
from app.frameworks.service import current_areas
from app.information_requests.service import answer_request, create_request
from app.meetings.service import MeetingInput, When
from app.models import Cluster, DeadlineKind, ProgrammeYear, School, Term, Triad

DEADLINES: dict[DeadlineKind, YearDay] = {
    DeadlineKind.SUBMITTED: (10, 16), DeadlineKind.SIGNED_OFF: (10, 30), DeadlineKind.PLANS_FINALISED: (11, 27),
    DeadlineKind.QA_VISITS: (5, 22), DeadlineKind.LEARNINGS: (6, 26)}
# Meetings 1 to 3 of the first triad (each next triad's a day later); meeting 3 is booked once 2 is held.
MEETINGS: tuple[YearDay, ...] = ((10, 8), (1, 20), (6, 10))
MEETING_NOTES = ("Each school chose three priorities from its lowest-rated areas and drafted its action plan.",
                 "Each school reported progress; Birchwood Lane will trial the graduated approach checklist.",
                 "The triad chose its key learnings and what each school carries into next year.")
# The lead's request to every school: sent on REQUEST_SENT; most answer within days, one answers after the
# due date and two have not answered (late once the due date passes).
REQUEST_SENT: YearDay = (10, 6)
REQUEST_WORKING_DAYS = 10
LATE_ANSWER, NOT_ANSWERED = 700106, {700105, 700111}


def write_current_year(year: DemoYear, programme_year: ProgrammeYear, clusters: dict[str, Cluster],
                       schools: dict[int, School], people: People) -> None:
    """The year's deadlines and everything its schools, triads, cluster and lead have done by now, on its day."""
    set_deadlines(programme_year, {kind: year.day(day) for kind, day in DEADLINES.items()})
    _self_evaluations(year, programme_year, schools, people)
    _diary(year, programme_year, schools, people)
    _cluster(year, programme_year, clusters["North cluster"], schools, people)
    _information_request(year, programme_year, schools, people)
    write_celebration(year, programme_year, DEMO_LEARNINGS,
                      {t.name: senco_of(people, t.schools[0]) for t in DEMO_TRIADS}, people[demo_email("lead")])
    db.session.flush()


def _self_evaluations(year: DemoYear, programme_year: ProgrammeYear, schools: dict[int, School],
                      people: People) -> None:
    """Each school's self-evaluation (submitted on its day), the QA visits, and two of Triad A's plans, started
    with the year and drafted at meeting 1: Alder Grove's then finalised, Birchwood Lane's a draft."""
    expert = people[demo_email("qa")]
    for demo in DEMO_SCHOOLS:
        submitted_at = year.passed(DEMO_SUBMITTED[demo.urn], 16) if demo.urn in DEMO_SUBMITTED else None
        signed_off_at = None
        if submitted_at is not None and demo.urn in DEMO_SIGNED_OFF:
            signed_off = submitted_at + timedelta(days=SIGN_OFF_DAYS)
            signed_off_at = signed_off if year.has_passed(signed_off) else None
        evaluation = write_self_evaluation(schools[demo.urn], programme_year, DEMO_LEVELS[demo.urn],
                                           head_of(people, demo), senco_of(people, demo), submitted_at, signed_off_at)
        if demo.urn in DEMO_MODERATED:
            day, levels = DEMO_MODERATED[demo.urn]
            write_qa_visit(year, evaluation, expert, year.at(day, 10), levels)
    drafted = year.has_passed(year.at(MEETINGS[0], 13, 30))  # until then each plan is started, with no actions
    for demo, actions, finalised in ((DEMO_SCHOOLS[0], DEMO_ACTIONS, True), (DEMO_SCHOOLS[1], DEMO_ACTIONS[:2], False)):
        write_action_plan(year, schools[demo.urn], programme_year, head_of(people, demo), senco_of(people, demo),
                          actions if drafted else (), year.passed(PLAN_FINALISED, 15) if finalised else None)


def _diary(year: DemoYear, programme_year: ProgrammeYear, schools: dict[int, School], people: People) -> None:
    """Every triad's meetings, Triad A's peer visits, and the programme's launch and celebration."""
    triads = {t.name: t for t in programme_year.triads}
    for index, demo_triad in enumerate(DEMO_TRIADS):
        later = timedelta(days=index)
        moments = [year.at(day, 13, 30) + later for day in MEETINGS]
        if not year.has_passed(moments[1]):
            moments.pop()  # meeting 3 is booked at meeting 2
        write_triad_meetings(year, triads[demo_triad.name], [schools[demo.urn] for demo in demo_triad.schools],
                             moments, MEETING_NOTES, [senco_of(people, demo) for demo in demo_triad.schools],
                             online_link=f"https://meet.example/northbrook-{demo_triad.name[-1].lower()}")
    _triad_a_visits(year, triads["Triad A"], schools, people)
    write_events(year, programme_year, ((9, 17), (7, 8)))
    db.session.flush()


def _triad_a_visits(year: DemoYear, triad: Triad, schools: dict[int, School], people: People) -> None:
    """The coach school's visits to Birchwood Lane (in November) and Catkin Hill (in March)."""
    areas = current_areas(triad.year.programme)
    coach = senco_of(people, DEMO_SCHOOLS[0])
    write_peer_visit(year, triad, schools[700102], year.at((11, 12), 9), areas[4].id, (
        "Referrals to the SENCo are prompt and well evidenced.",
        "How do class teachers record the graduated approach before a referral?",
        "Trial the graduated approach checklist in Years 3 and 4."), coach)
    write_peer_visit(year, triad, schools[700103], year.at((3, 4), 9), areas[2].id, (
        "Pupils' needs are known well by every adult in the classroom.",
        "How are teaching assistants briefed before lessons?",
        "Share lesson plans with teaching assistants the day before."), coach)


def _cluster(year: DemoYear, programme_year: ProgrammeYear, north: Cluster, schools: dict[int, School],
             people: People) -> None:
    """North cluster's leads and its meetings (autumn's minuted once held, summer's booked once spring's is
    held); every school's last Whole School SEND Review."""
    for urn, review in DEMO_REVIEWS.items():
        if review is not None:
            years_before, month, day = review
            schools[urn].last_send_review_on = date(year.start_year - years_before, month, day)
    set_cluster_leads(north, programme_year, people[demo_email("head.aldergrove")].id,
                      people[demo_email("senco.aldergrove")].id, people[demo_email("senco.hawthornrise")].id)
    terms = ((Term.AUTUMN, (11, 19), schools[700104].id, "Hawthorn Rise High School, conference room", "",
              "1. Whole School SEND Reviews due this year\n2. Moving from primary to secondary: sharing SEND "
              "information",
              "Birchwood Lane and Hawthorn Rise book their reviews for the spring term. Primary and secondary "
              "SENCOs agree one transfer form for pupils moving to Year 7."),
             (Term.SPRING, (3, 11), schools[700101].id, "", "https://meet.example/northbrook-north-cluster",
              "Review the transfer form after its first term in use",
              "The transfer form works; secondary SENCOs ask for it by the end of May."),
             (Term.SUMMER, (6, 17), schools[700105].id, "Juniper Vale Academy, hall", "",
              "Plan next year's reviews", "Three schools book their reviews for the autumn."))
    for term, meets_on, host_id, place, link, agenda, notes in terms:
        meeting, _warnings = schedule_cluster_meeting(north, programme_year, term, MeetingInput(
            When(year.day(meets_on), False, "15:30"), 90, host_id, place, link, agenda))
        if not year.has_passed(meeting.starts_at):
            break  # the next term's meeting is booked at this one
        meeting.held, meeting.notes = True, notes
        meeting.attendees = [person for person in cluster_people(north, programme_year)
                             if person.email.startswith(("senco.", "head.aldergrove"))]
    db.session.flush()


def _information_request(year: DemoYear, programme_year: ProgrammeYear, schools: dict[int, School],
                         people: People) -> None:
    """The lead's request for every school's SEND information report, once its day has come."""
    sent_on = year.day(REQUEST_SENT)
    if not year.has_passed(sent_on):
        return
    request = create_request(programme_year, people[demo_email("lead")], "Your SEND information report",
                             "Send a link to, or a copy of, the SEND information report on your school's website.",
                             REQUEST_WORKING_DAYS, issued_on=sent_on)
    by_id = {schools[demo.urn].id: demo for demo in DEMO_SCHOOLS}
    for recipient in request.recipients:
        demo = by_id[recipient.school_id]
        if demo.urn in NOT_ANSWERED:
            continue
        answered_on = request.due_on + timedelta(days=4) if demo.urn == LATE_ANSWER else sent_on + timedelta(days=3)
        answered_at = year.moment(answered_on, 14)
        if year.has_passed(answered_at):
            answer_request(recipient, senco_of(people, demo), f"Our report is on the website: "
                           f"https://{demo.slug}.example/send-information-report")
            recipient.answered_at = answered_at
    db.session.flush()
