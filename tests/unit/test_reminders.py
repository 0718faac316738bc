"""Reminders and the weekly digest: who gets what, nothing twice (a second run, a restart), a moved
date reminds again, and a fixed number of queries."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.extensions import db
from app.meetings.service import london_time
from app.models import OutboxEmail, PeerVisit, QAVisit, Role, TriadMeeting
from app.notifications.reminders import queue_overdue_digest, queue_reminders
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)  # a Monday morning


@pytest.fixture
def triad(session):
    return make_triad(make_year(make_programme_with_framework(), start_year=2025))


@pytest.fixture
def staff(triad):
    coach, visited, third = (m.school for m in triad.members)
    return {"coach": make_user(Role.SENCO, school=coach, email="coach@example.org"),
            "visited": make_user(Role.HEAD, school=visited, email="visited@example.org"),
            "third": make_user(Role.SENCO, school=third, email="third@example.org")}


def outbox() -> list[tuple[str, str]]:
    return sorted(db.session.execute(select(OutboxEmail.to_address, OutboxEmail.subject)).all())


def meeting(triad, starts_at, number=2):
    record = TriadMeeting(triad_id=triad.id, number=number, starts_at=starts_at, place="Library")
    db.session.add(record)
    db.session.commit()
    return record


def test_a_meeting_reminds_everyone_in_the_triad_once(triad, staff):
    meeting(triad, london_time(date(2026, 3, 3), time(13, 30)))
    assert queue_reminders(NOW) == 3
    assert [to for to, _ in outbox()] == ["coach@example.org", "third@example.org", "visited@example.org"]
    assert outbox()[0][1] == f"Reminder: {triad.name} meeting 2, Tuesday 3 March 2026 at 1:30pm"
    assert queue_reminders(NOW) == 0  # a second run, or after a restart
    assert queue_reminders(NOW + timedelta(hours=1)) == 0


def test_past_and_far_off_events_do_not_remind(triad, staff):
    meeting(triad, NOW - timedelta(hours=1), number=1)
    meeting(triad, NOW + timedelta(days=10), number=3)
    assert queue_reminders(NOW) == 0


def test_a_moved_meeting_reminds_again(triad, staff):
    record = meeting(triad, london_time(date(2026, 3, 3), time(13, 30)))
    queue_reminders(NOW)
    record.starts_at = london_time(date(2026, 3, 3), time(16, 0))
    db.session.commit()
    assert queue_reminders(NOW) == 3


def test_a_peer_visit_reminds_the_visited_school_and_the_coach_only(triad, staff):
    framework_area = areas_for(start_action_plan(triad.members[1].school, triad.year))[0]
    db.session.add(PeerVisit(triad_id=triad.id, visited_school_id=triad.members[1].school_id,
                             focus_area_id=framework_area.id, starts_at=NOW + timedelta(days=1)))
    db.session.commit()
    queue_reminders(NOW)
    assert [to for to, _ in outbox()] == ["coach@example.org", "visited@example.org"]


def test_a_qa_visit_reminds_the_expert_and_the_school(triad, staff):
    expert = make_user(Role.QA_EXPERT, programme=triad.year.programme, email="expert@example.org")
    db.session.add(QAVisit(year_id=triad.year_id, school_id=triad.members[1].school_id, expert_id=expert.id,
                           starts_at=NOW + timedelta(days=2)))
    db.session.commit()
    queue_reminders(NOW)
    assert [to for to, _ in outbox()] == ["expert@example.org", "visited@example.org"]


def test_reminders_take_a_fixed_number_of_queries(triad, staff):
    def statements() -> int:
        db.session.query(OutboxEmail).delete()
        db.session.commit()
        db.session.expire_all()
        seen = []
        listener = lambda *args: args[2].lstrip().upper().startswith("SELECT") and seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            queue_reminders(NOW)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    meeting(triad, NOW + timedelta(days=1), number=1)
    one = statements()
    for _ in range(5):
        other = make_triad(triad.year)
        make_user(Role.SENCO, school=other.members[0].school)
        meeting(other, NOW + timedelta(days=1), number=1)
    assert statements() == one
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 3 + 5


def add_overdue_action(school, year, finalise_with=None):
    plan = start_action_plan(school, year)
    areas = areas_for(plan)
    save_action(plan, None, ActionInput([areas[0].id], f"Late work at {school.name}", OTHER_OWNER, "Jo Smith",
                                        date(2026, 2, 1), False, "Done"), areas, [])
    if finalise_with:
        finalise_plan(plan, finalise_with)
    db.session.commit()
    return plan


def test_the_digest_goes_to_the_school_and_to_the_coach_for_finalised_plans(triad, staff):
    visited_school, third_school = triad.members[1].school, triad.members[2].school
    add_overdue_action(visited_school, triad.year, finalise_with=staff["visited"])
    add_overdue_action(third_school, triad.year)  # a draft: the coach does not see it
    assert queue_overdue_digest(NOW) == 3
    bodies = dict(db.session.execute(select(OutboxEmail.to_address, OutboxEmail.body)
                                     .where(OutboxEmail.dedupe_key.like("digest:%"))).all())  # not the notices
    assert f"{visited_school.name} (your triad, as coach):\n- Action 1" in bodies["coach@example.org"]
    assert third_school.name not in bodies["coach@example.org"]
    assert f"{third_school.name}:\n- Action 1" in bodies["third@example.org"]
    # what an action says is the school's work: the email names it by number and links to the plan
    assert not any("Late work" in body for body in bodies.values())
    assert queue_overdue_digest(NOW + timedelta(days=2)) == 0  # once a week
    assert queue_overdue_digest(NOW + timedelta(days=7)) == 3


def test_nobody_hears_when_nothing_is_overdue(triad, staff):
    assert queue_overdue_digest(NOW) == 0


def test_information_requests_are_chased_two_working_days_before_and_noticed_after(triad, staff):
    from app.information_requests.service import answer_request, create_request
    from app.notifications.reminders import queue_request_chasers

    lead = make_user(Role.PROGRAMME_LEAD, programme=triad.year.programme, email="lead@example.org")
    # Sent Friday 27 March 2026 with 10 working days: due Tuesday 14 April (Easter skipped).
    request = create_request(triad.year, lead, "Numbers", "How many?", 10, issued_on=date(2026, 3, 27))
    assert request.due_on == date(2026, 4, 14)
    answered = next(r for r in request.recipients if r.school_id == triad.members[1].school_id)
    answer_request(answered, staff["visited"], "Fourteen")
    db.session.commit()
    at = lambda day: datetime.combine(day, time(8), tzinfo=timezone.utc)  # noqa: E731
    assert queue_request_chasers(at(date(2026, 4, 9))) == 0  # three working days before
    assert queue_request_chasers(at(date(2026, 4, 10))) == 2  # two before: the two who have not answered
    assert queue_request_chasers(at(date(2026, 4, 13))) == 0  # once only
    chasers = db.session.scalars(select(OutboxEmail.to_address).where(OutboxEmail.dedupe_key.like("request:%")))
    assert sorted(chasers) == ["coach@example.org", "third@example.org"]  # (the request itself was a notice)
    assert queue_request_chasers(at(date(2026, 4, 15))) == 3  # a notice to each, and one to the lead
    assert ("lead@example.org", "2 schools have not answered: Numbers") in outbox()
    assert queue_request_chasers(at(date(2026, 4, 16))) == 0


def test_a_cluster_meeting_reminds_the_cluster_s_schools_and_its_leads_once(triad, staff):
    from app.clusters.service import assign_schools
    from app.models import ClusterMeeting, Term
    from tests.factories import make_cluster

    year = triad.year
    cluster = make_cluster(year.programme, "North")
    coach, visited, _third = (m.school for m in triad.members)
    assign_schools(cluster, year, {coach.id, visited.id})  # the third school is in no cluster
    lead = make_user(Role.CLUSTER_LEAD, cluster=cluster, email="cluster.lead@example.org")
    make_user(Role.CLUSTER_LEAD, cluster=make_cluster(year.programme, "South"), email="south@example.org")
    db.session.add(ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.SPRING, place="Town hall",
                                  starts_at=NOW + timedelta(days=1)))
    db.session.commit()
    assert queue_reminders(NOW) == 3
    assert [to for to, _subject in outbox()] == ["cluster.lead@example.org", "coach@example.org",
                                                 "visited@example.org"]
    assert all(subject.startswith("Reminder: North spring term meeting") for _to, subject in outbox())
    assert lead.active and queue_reminders(NOW) == 0  # a second run queues nothing
