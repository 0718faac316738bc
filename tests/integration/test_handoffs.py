"""Hand-off notices beyond the self-evaluation (issue 16): a plan finalised, learnings returned, an
information request sent, peer visit notes written and a person added to a school. Each tells exactly the
people whose turn it is, once per event, by a notice and an email that carry no confidential text."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.action_plans import handoffs as plan_handoffs
from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.action_plans.service import staff_of as owners_of
from app.auth import handoffs as access_handoffs
from app.auth.accounts import invite_user
from app.celebration import handoffs as celebration_handoffs
from app.celebration.service import submission_of, submit_celebration
from app.common import clock, dates
from app.extensions import db
from app.frameworks.service import current_framework
from app.information_requests import handoffs as request_handoffs
from app.information_requests.service import create_request
from app.meetings import handoffs as visit_handoffs
from app.meetings.service import When, record_visit_notes, schedule_peer_visit
from app.models import Notice, NoticeFrequency, NoticeKind, OutboxEmail, RequestRecipient, Role, RoleAssignment, User
from app.notifications.notices import queue_daily_summaries
from tests import factories
from tests.celebrations import add_learning
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year

SECRET = "Pupil K's EHCP review went badly"  # what someone wrote: in no notice and no email
MARCH = datetime(2026, 3, 2, 16, tzinfo=timezone.utc)  # a day in the triad's year, after the peer visit


@pytest.fixture
def people(session):
    """A triad's three schools (coach first) with their staff, a head in another triad, and the lead."""
    year = make_year(make_programme_with_framework())
    triad = make_triad(year, enrol(year, *(make_school(name=name) for name in (
        "Birch Primary", "Catkin Hill Primary", "Damson Primary"))), name="Oak triad")
    coach, school, partner = (m.school for m in sorted(triad.members, key=lambda m: m.position))
    found = {
        "coach_head": make_user(Role.HEAD, school=coach, name="Cora Coach"),
        "coach_senco": make_user(Role.SENCO, school=coach, name="Cass Coach"),
        "head": make_user(Role.HEAD, school=school, name="Hana Head"),
        "senco": make_user(Role.SENCO, school=school, name="Sam Senco"),
        "partner_senco": make_user(Role.SENCO, school=partner, name="Pat Partner"),
        "stranger": make_user(Role.HEAD, school=make_triad(year).members[0].school, name="Stan Stranger"),
        "lead": make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lena Lead"),
    }
    return {**found, "year": year, "triad": triad, "coach": coach, "school": school, "partner": partner}


def told(people, kind: NoticeKind) -> list[str]:
    """Who has a notice of this kind, by their name in `people`, each as often as they have one."""
    names = {person.id: name for name, person in people.items() if isinstance(person, User)}
    return sorted(names.get(n.user_id, str(n.user_id))
                  for n in db.session.scalars(select(Notice).where(Notice.kind == kind)))


def notices(kind: NoticeKind) -> list[Notice]:
    return list(db.session.scalars(select(Notice).where(Notice.kind == kind).order_by(Notice.created_at)))


def emails_to(person: User) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == person.email)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def each_reads(kind: NoticeKind, summary: str, action: str, path: str, sent_by: str) -> None:
    """Every notice of this kind says this, and each person told has its email, linking to the page."""
    assert {(n.summary, n.action, n.path, n.sent_by) for n in notices(kind)} == {(summary, action, path, sent_by)}
    each_told_by_email(kind)


def each_told_by_email(kind: NoticeKind) -> None:
    for notice in notices(kind):
        person = db.session.get(User, notice.user_id)
        [email] = [e for e in emails_to(person) if e.subject == notice.summary]
        assert f"http://localhost{notice.path}" in email.body


def no_secret_anywhere() -> None:
    for notice in db.session.scalars(select(Notice)):
        assert SECRET not in notice.summary + notice.action + notice.path
    for email in db.session.scalars(select(OutboxEmail)):
        assert SECRET not in email.subject + email.body


def add_action(plan, description=SECRET):
    given = ActionInput([area.id for area in areas_for(plan)][:1], description, OTHER_OWNER, "Jo Smith",
                        date(2026, 3, 27), False, "Every class teacher trained by Easter")
    return save_action(plan, None, given, areas_for(plan), owners_of(plan.school_id))


def test_a_finalised_plan_tells_the_coach_and_the_triad_once_per_version(people):
    plan = start_action_plan(people["school"], people["year"])
    add_action(plan)
    version = finalise_plan(plan, people["head"])
    db.session.commit()
    # not the head who finalised, nor the school's own SENCo, nor a school outside the triad
    assert told(people, NoticeKind.PLAN_FINALISED) == ["coach_head", "coach_senco", "partner_senco"]
    school = people["school"].name
    each_reads(NoticeKind.PLAN_FINALISED, f"Hana Head finalised {school}'s action plan for 2025/26",
               "Read the action plan", f"/action-plans/{plan.id}", f"Hana Head, Headteacher, {school}")

    plan_handoffs.finalised(plan, version, people["head"])  # the same version again: nobody told twice
    assert count(Notice) == 3

    add_action(plan, "A second action")
    finalise_plan(plan, people["head"])
    db.session.commit()
    assert [n.summary for n in notices(NoticeKind.PLAN_FINALISED)].count(
        f"Hana Head finalised version 2 of {school}'s action plan for 2025/26") == 3
    no_secret_anywhere()


def test_returned_learnings_tell_the_triads_three_schools_through_the_page(client_request, people):
    learning = add_learning(people["triad"], "Parent drop-ins", what_we_did=SECRET)
    submit_celebration(people["triad"], people["senco"])
    db.session.commit()
    submitted_at = learning.submission.submitted_at
    client_request.sign_in(people["lead"])
    client_request.post("celebration.return_for_changes", {}, _form_endpoint="celebration.year",
                        year_id=people["year"].id, submission_id=learning.submission_id)
    assert told(people, NoticeKind.LEARNINGS_RETURNED) == [
        "coach_head", "coach_senco", "head", "partner_senco", "senco"]
    each_reads(NoticeKind.LEARNINGS_RETURNED, "Lena Lead returned Oak triad's key learnings for 2025/26 for changes",
               "Change the key learnings and submit them again", f"/triads/{people['triad'].id}/celebration",
               "Lena Lead, Programme lead")

    submission = submission_of(people["triad"])
    celebration_handoffs.returned(submission, people["lead"], submitted_at)  # the same return again
    assert count(Notice) == 5

    with clock.frozen_at(clock.now() + timedelta(minutes=5)):
        submit_celebration(people["triad"], people["senco"])
        db.session.commit()
    client_request.post("celebration.return_for_changes", {}, _form_endpoint="celebration.year",
                        year_id=people["year"].id, submission_id=learning.submission_id)
    assert count(Notice) == 10  # a new submission returned is a new event
    no_secret_anywhere()


def test_a_request_tells_each_asked_schools_staff_once_with_their_answer_page(people):
    exec_head = make_user(Role.HEAD, school=people["school"], name="Eve Exec")
    exec_head.roles.append(RoleAssignment(role=Role.SENCO, school=people["partner"]))  # two roles, two schools
    db.session.commit()
    request = create_request(people["year"], people["lead"], "Pupil numbers", SECRET, 10,
                             school_ids={people["school"].id, people["partner"].id})
    db.session.commit()
    # the schools not asked (the coach, the stranger's) hear nothing
    assert told(people, NoticeKind.REQUEST_SENT) == sorted(["head", "senco", "partner_senco", str(exec_head.id)])
    answer_page = {r.school_id: f"/answers/{r.id}" for r in request.recipients}
    due = dates.day(request.due_on)
    for notice in notices(NoticeKind.REQUEST_SENT):
        school = people["partner"] if notice.user_id == people["partner_senco"].id else people["school"]
        assert notice.summary == f"Lena Lead asked {school.name} for information: “Pupil numbers”, due by {due}"
        assert (notice.action, notice.path) == ("Answer the request", answer_page[school.id])
        assert notice.sent_by == f"Lena Lead, Programme lead, {people['year'].programme.name}"
    each_told_by_email(NoticeKind.REQUEST_SENT)

    request_handoffs.sent(request, people["lead"])  # sent again: nobody told twice
    assert count(Notice) == 4
    no_secret_anywhere()


def test_a_cluster_request_is_signed_by_the_cluster_lead(people):
    cluster = factories.make_cluster(people["year"].programme, name="North cluster")
    [school] = enrol(people["year"], make_school(name="Rowan Primary"), cluster=cluster)
    senco = make_user(Role.SENCO, school=school, name="Rhea Rowan")
    cluster_lead = make_user(Role.CLUSTER_LEAD, cluster=cluster, name="Cal Cluster")
    request = create_request(people["year"], cluster_lead, "Review dates", SECRET, 5, cluster=cluster)
    db.session.commit()
    [notice] = notices(NoticeKind.REQUEST_SENT)
    assert notice.user_id == senco.id and notice.sent_by == "Cal Cluster, Cluster lead, North cluster"
    assert notice.path == f"/answers/{db.session.scalar(select(RequestRecipient.id))}"
    assert request.recipients[0].school_id == school.id
    no_secret_anywhere()


def test_visit_notes_tell_the_visited_school_once_when_first_saved(people):
    focus = current_framework(people["year"].programme).areas[0]
    with clock.frozen_at(MARCH):
        visit, _ = schedule_peer_visit(people["triad"], people["school"], When(date(2026, 3, 2), False, "9:30"),
                                       120, focus)
        record_visit_notes(visit, SECRET, "", "Share the visual timetables", people["coach_senco"])
        db.session.commit()
    # the visited school only: not the coach school's head, the other school or a stranger
    assert told(people, NoticeKind.VISIT_NOTES) == ["head", "senco"]
    each_reads(NoticeKind.VISIT_NOTES,
               f"Cass Coach wrote the notes of the peer visit to {people['school'].name} on 2 March 2026",
               "Read the visit notes", f"/peer-visits/{visit.id}", f"Cass Coach, SENCo, {people['coach'].name}")

    visit_handoffs.visit_notes_written(visit, people["coach_senco"])  # the same notes again
    assert count(Notice) == 2
    with clock.frozen_at(MARCH + timedelta(days=1)):
        record_visit_notes(visit, SECRET, "What next for the unit?", "", people["coach_senco"])
        db.session.commit()
    assert count(Notice) == 2  # changed notes are not news: the school reads the latest
    no_secret_anywhere()


def test_a_person_added_tells_the_heads_by_a_notice_and_the_one_access_email(people):
    other_head = make_user(Role.HEAD, school=people["school"], name="Hugo Head")
    other_head.notice_frequency = NoticeFrequency.DAILY
    db.session.commit()
    invite_user(email="nia@example.org", name="Nia New", role=Role.SENCO, invited_by=people["head"],
                school=people["school"])
    db.session.commit()
    school = people["school"]
    # the other head; not the head who added her (who still gets the access email), the SENCo or Nia
    assert told(people, NoticeKind.PERSON_ADDED) == [str(other_head.id)]
    [notice] = notices(NoticeKind.PERSON_ADDED)
    assert notice.summary == f"Hana Head made Nia New SENCo at {school.name}"
    assert (notice.action, notice.path) == ("See who has access to the school's work", f"/schools/{school.id}")
    assert notice.sent_by == f"Hana Head, Headteacher, {school.name}"
    for head in (other_head, people["head"]):
        [email] = emails_to(head)  # the access email is the notice's email: one each, not two
        assert email.subject == f"Nia New now has access to {school.name} in SEND Triads"
        assert f"Hana Head has made Nia New (nia@example.org) SENCo at {school.name}" in email.body
        assert f"http://localhost/schools/{school.id}" in email.body
    assert notice.emailed_at is not None
    assert queue_daily_summaries(clock.now()) == 0  # the daily summary does not send it again

    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    [assignment] = nia.roles
    access_handoffs.person_added(assignment, people["head"])  # the same grant again: nothing more
    assert count(Notice) == 1 and len(emails_to(other_head)) == 1 and len(emails_to(people["head"])) == 1
