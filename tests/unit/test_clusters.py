"""Clusters as rules: phases, Whole School SEND Review dates, the terms (Easter from England's bank
holidays), who can lead a cluster (and the role that goes with it), choosing its schools, and its
termly meetings."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from app.clusters.phases import BOTH, OTHER, PRIMARY, SECONDARY, phase_group
from app.clusters.service import (
    DUE,
    NOT_RECORDED,
    OVERDUE,
    UP_TO_DATE,
    assign_schools,
    cluster_meeting_slots,
    cluster_people,
    cluster_schools,
    create_cluster,
    record_cluster_meeting,
    record_send_review,
    review_due_on,
    review_status,
    schedule_cluster_meeting,
    send_reviews,
    set_cluster_leads,
    term_dates,
    term_of,
)
from app.common import clock
from app.common.errors import DomainError
from app.extensions import db
from app.meetings.service import MeetingInput, When, london_time
from app.models import ClusterMeeting, Enrolment, Role, RoleAssignment, Term
from tests.factories import enrol, make_cluster, make_programme, make_school, make_user, make_year

TODAY = clock.today()


def cluster_leads_of(cluster) -> set:
    return set(db.session.scalars(select(RoleAssignment.user_id).where(
        RoleAssignment.role == Role.CLUSTER_LEAD, RoleAssignment.cluster_id == cluster.id)))


def meeting_on(day: date, place: str = "Hall") -> MeetingInput:
    return MeetingInput(When(day, False, "15:30"), 90, None, place, "", "Transfer to Year 7")


@pytest.fixture
def cluster_scene(session):
    """A cluster in 2025/26 with a primary, a secondary and an all-through school, each with a head and a SENCo."""
    year = make_year(make_programme(), start_year=2025)
    cluster = make_cluster(year.programme, name="North cluster")
    primary, secondary, through = (make_school("Alder Primary", "Primary"), make_school("Hawthorn High", "Secondary"),
                                   make_school("Oakridge School", "All-through"))
    enrol(year, primary, secondary, through, cluster=cluster)
    people = {}
    for key, school in (("primary", primary), ("secondary", secondary), ("through", through)):
        people[f"{key}_head"] = make_user(Role.HEAD, school=school, name=f"Head of {school.name}")
        people[f"{key}_senco"] = make_user(Role.SENCO, school=school, name=f"SENCo of {school.name}")
    return year, cluster, (primary, secondary, through), people


# --- Phases --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase, group", [
    ("Primary", PRIMARY), ("Infant", PRIMARY), ("Junior", PRIMARY), ("Nursery", PRIMARY),
    ("Middle deemed primary", PRIMARY),
    ("Secondary", SECONDARY), ("16 plus", SECONDARY), ("Middle deemed secondary", SECONDARY),
    ("All-through", BOTH), ("Not applicable", OTHER), ("", OTHER),
])
def test_phase_groups_follow_the_gias_phase(phase, group):
    assert phase_group(phase) == group


# --- Whole School SEND Reviews ----------------------------------------------------------------------


def test_a_review_is_due_on_the_same_day_three_years_on():
    assert review_due_on(date(2023, 5, 12)) == date(2026, 5, 12)


def test_a_review_on_29_february_is_next_due_on_28_february():
    assert review_due_on(date(2024, 2, 29)) == date(2027, 2, 28)


def test_review_statuses():
    today = date(2026, 3, 10)
    assert review_status(None, today) == NOT_RECORDED
    assert review_status(date(2023, 3, 9), today) == OVERDUE   # due yesterday
    assert review_status(date(2023, 3, 10), today) == DUE      # due today: not overdue yet
    assert review_status(date(2023, 8, 31), today) == DUE      # due on the last day of the academic year
    assert review_status(date(2023, 9, 1), today) == UP_TO_DATE  # due in the next academic year


def test_the_academic_year_ends_on_31_august_for_dates_in_the_autumn_too():
    today = date(2025, 10, 1)
    assert review_status(date(2023, 8, 31), today) == DUE
    assert review_status(date(2023, 9, 1), today) == UP_TO_DATE
    assert review_status(date(2022, 9, 30), today) == OVERDUE


def test_reviews_are_listed_overdue_first_then_due_then_by_due_date(session):
    today = date(2026, 3, 10)
    schools = [make_school(name) for name in ("A up to date", "B none", "C due", "D overdue", "E overdue earlier")]
    for school, last in zip(schools, (date(2025, 1, 1), None, date(2023, 6, 1), date(2022, 12, 1), date(2021, 5, 1)),
                            strict=True):
        school.last_send_review_on = last
    rows = send_reviews(schools, today)
    assert [(r.school.name, r.status) for r in rows] == [
        ("E overdue earlier", OVERDUE), ("D overdue", OVERDUE), ("C due", DUE), ("A up to date", UP_TO_DATE),
        ("B none", NOT_RECORDED)]
    assert rows[2].due_on == date(2026, 6, 1)


@pytest.mark.parametrize("day, invalid, message", [
    (None, False, "Enter the date of the last Whole School SEND Review"),
    (None, True, "The date of the last review must be a real date, for example 14 3 2024"),
    (TODAY + timedelta(days=1), False, "The date of the last review must be today or in the past"),
    (date(1999, 12, 31), False, "The date of the last review must be in 2000 or later"),
])
def test_a_review_date_must_be_real_past_and_not_before_2000(session, day, invalid, message):
    school = make_school()
    with pytest.raises(DomainError, match=message):
        record_send_review(school, day, TODAY, invalid)
    db.session.refresh(school)
    assert school.last_send_review_on is None


def test_a_review_today_is_recorded(session):
    school = make_school()
    record_send_review(school, TODAY, TODAY)
    db.session.expire_all()
    assert school.last_send_review_on == TODAY


# --- Terms ----------------------------------------------------------------------------------------


def test_terms_of_2025_26_turn_at_easter_monday_6_april_2026():
    assert term_of(date(2025, 9, 1), 2025) == Term.AUTUMN
    assert term_of(date(2025, 12, 31), 2025) == Term.AUTUMN
    assert term_of(date(2026, 1, 1), 2025) == Term.SPRING
    assert term_of(date(2026, 4, 6), 2025) == Term.SPRING
    assert term_of(date(2026, 4, 7), 2025) == Term.SUMMER
    assert term_of(date(2026, 8, 31), 2025) == Term.SUMMER
    assert term_of(date(2026, 9, 1), 2025) is None
    assert term_of(date(2025, 8, 31), 2025) is None


def test_terms_of_2026_27_turn_at_easter_monday_29_march_2027():
    assert term_dates(Term.SPRING, 2026) == (date(2027, 1, 1), date(2027, 3, 29))
    assert term_of(date(2027, 3, 29), 2026) == Term.SPRING
    assert term_of(date(2027, 3, 30), 2026) == Term.SUMMER
    assert term_of(date(2027, 4, 6), 2026) == Term.SUMMER


# --- Clusters, schools and leads ----------------------------------------------------------------------


def test_cluster_names_are_required_and_unique_in_a_programme_whatever_the_case(session):
    programme = make_programme()
    create_cluster(programme, "North cluster")
    with pytest.raises(DomainError, match="Enter a name for the cluster"):
        create_cluster(programme, "  ")
    with pytest.raises(DomainError, match="There is already a cluster called North cluster in this programme"):
        create_cluster(programme, "north  CLUSTER")
    assert create_cluster(make_programme(), "North cluster").name == "North cluster"


def test_assigning_schools_sets_the_chosen_ones_and_clears_the_rest(cluster_scene):
    year, cluster, (primary, secondary, through), _ = cluster_scene
    other = make_cluster(year.programme, name="South cluster")
    newcomer, elsewhere = make_school("Birch Primary"), make_school("Damson Primary")
    enrol(year, newcomer)
    enrol(year, elsewhere, cluster=other)
    assign_schools(cluster, year, {primary.id, newcomer.id, elsewhere.id})
    assert cluster_schools(cluster, year) == sorted([primary, newcomer, elsewhere], key=lambda s: s.name)
    assert cluster_schools(other, year) == []
    clusters = dict(db.session.execute(select(Enrolment.school_id, Enrolment.cluster_id)
                                       .where(Enrolment.year_id == year.id)).all())
    assert clusters[secondary.id] is None and clusters[through.id] is None


def test_assigning_a_school_not_in_the_year_or_in_a_closed_year_is_refused(cluster_scene):
    year, cluster, (primary, *_), _ = cluster_scene
    with pytest.raises(DomainError, match="Choose schools taking part in 2025/26"):
        assign_schools(cluster, year, {make_school().id})
    year.is_closed = True
    with pytest.raises(DomainError, match="2025/26 is closed"):
        assign_schools(cluster, year, {primary.id})
    assert len(cluster_schools(cluster, year)) == 3


def test_leads_must_be_a_head_and_sencos_of_the_right_phase(cluster_scene):
    year, cluster, _, people = cluster_scene
    outsider = make_user(Role.HEAD, school=make_school())
    cases = [
        ((people["primary_senco"].id, None, None), "Choose a headteacher of one of the cluster's schools"),
        ((outsider.id, None, None), "Choose a headteacher of one of the cluster's schools"),
        ((None, people["secondary_senco"].id, None), "Choose the SENCo of one of the cluster's primary schools"),
        ((None, None, people["primary_senco"].id), "Choose the SENCo of one of the cluster's secondary schools"),
    ]
    for ids, message in cases:
        with pytest.raises(DomainError, match=message):
            set_cluster_leads(cluster, year, *ids)
    assert cluster.lead_head_id is None and cluster_leads_of(cluster) == set()


def test_an_all_through_senco_can_lead_either_phase(cluster_scene):
    year, cluster, _, people = cluster_scene
    through = people["through_senco"]
    set_cluster_leads(cluster, year, None, through.id, through.id)
    assert (cluster.primary_senco, cluster.secondary_senco) == (through, through)
    assert cluster_leads_of(cluster) == {through.id}


def test_naming_leads_gives_them_the_cluster_lead_role_and_unnaming_takes_it_away(cluster_scene):
    year, cluster, _, people = cluster_scene
    head, primary, secondary = people["primary_head"], people["primary_senco"], people["secondary_senco"]
    already = make_user(Role.CLUSTER_LEAD, cluster=cluster, name="Maya Thornton")  # a lead not named in any place
    set_cluster_leads(cluster, year, head.id, primary.id, secondary.id)
    assert (cluster.lead_head, cluster.primary_senco, cluster.secondary_senco) == (head, primary, secondary)
    assert cluster_leads_of(cluster) == {already.id, head.id, primary.id, secondary.id}
    assert any(r.role == Role.CLUSTER_LEAD and r.cluster_id == cluster.id for r in head.roles)

    set_cluster_leads(cluster, year, people["through_head"].id, primary.id, None)
    db.session.expire_all()
    assert cluster_leads_of(cluster) == {already.id, people["through_head"].id, primary.id}
    assert cluster.secondary_senco_id is None
    assert Role.HEAD in {r.role for r in head.roles} and Role.CLUSTER_LEAD not in {r.role for r in head.roles}


def test_the_cluster_people_are_its_schools_active_heads_and_sencos(cluster_scene):
    year, cluster, _, people = cluster_scene
    people["through_head"].active = False
    make_user(Role.HEAD, school=make_school())
    assert {p.id for p in cluster_people(cluster, year)} == {p.id for k, p in people.items() if k != "through_head"}


# --- Termly meetings -------------------------------------------------------------------------------


def test_a_meeting_outside_its_term_is_refused_and_nothing_is_saved(cluster_scene):
    year, cluster, _, _ = cluster_scene
    with pytest.raises(DomainError) as refused:
        schedule_cluster_meeting(cluster, year, Term.AUTUMN, meeting_on(date(2026, 1, 14)))
    assert refused.value.message == ("The autumn term meeting must be between 1 September 2025 and "
                                     "31 December 2025")
    assert refused.value.field == "day"
    with pytest.raises(DomainError, match="The spring term meeting must be between 1 January 2026 and 6 April 2026"):
        schedule_cluster_meeting(cluster, year, Term.SPRING, meeting_on(date(2026, 4, 7)))
    assert db.session.scalar(select(func.count()).select_from(ClusterMeeting)) == 0


def test_a_meeting_needs_a_place_and_a_host_from_the_cluster(cluster_scene):
    year, cluster, (primary, *_), _ = cluster_scene
    with pytest.raises(DomainError, match="Enter where the meeting is, or an online link"):
        schedule_cluster_meeting(cluster, year, Term.SUMMER, meeting_on(date(2026, 6, 10), place=""))
    stranger = MeetingInput(When(date(2026, 6, 10), False, "15:30"), 90, make_school().id, "Hall", "", "")
    with pytest.raises(DomainError, match="Choose one of the cluster's schools to host"):
        schedule_cluster_meeting(cluster, year, Term.SUMMER, stranger)
    hosted = MeetingInput(When(date(2026, 6, 10), False, "15:30"), 90, primary.id, "Hall", "", "")
    meeting, warnings = schedule_cluster_meeting(cluster, year, Term.SUMMER, hosted)
    assert (meeting.term, meeting.host_school_id, warnings) == (Term.SUMMER, primary.id, [])
    assert meeting.starts_at == london_time(date(2026, 6, 10), time(15, 30))


def test_scheduling_again_moves_the_same_meeting_and_the_slots_show_each_term(cluster_scene):
    year, cluster, _, _ = cluster_scene
    first, _ = schedule_cluster_meeting(cluster, year, Term.SPRING, meeting_on(date(2026, 2, 4)))
    moved, _ = schedule_cluster_meeting(cluster, year, Term.SPRING, meeting_on(date(2026, 3, 4)))
    assert moved.id == first.id
    assert [(s.term, s.state) for s in cluster_meeting_slots(cluster, year)] == [
        (Term.AUTUMN, "Missing"), (Term.SPRING, "Scheduled"), (Term.SUMMER, "Missing")]


def test_recording_a_meeting_before_its_day_is_refused(cluster_scene):
    year, cluster, _, people = cluster_scene
    meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.SUMMER,
                             starts_at=london_time(TODAY + timedelta(days=1), time(9)), place="Hall")
    db.session.add(meeting)
    db.session.flush()
    everyone = cluster_people(cluster, year)
    with pytest.raises(DomainError, match="The meeting has not happened yet"):
        record_cluster_meeting(meeting, True, "Agreed a transfer form", {everyone[0].id}, everyone)
    assert (meeting.held, meeting.notes, meeting.attendees) == (False, "", [])
    meeting.starts_at = london_time(TODAY, time(0, 1))
    record_cluster_meeting(meeting, True, " Agreed a transfer form ", {people["primary_senco"].id}, everyone)
    assert (meeting.held, meeting.notes, meeting.attendees) == (True, "Agreed a transfer form",
                                                                [people["primary_senco"]])


def test_a_closed_years_meetings_cannot_be_recorded(cluster_scene):
    year, cluster, _, _ = cluster_scene
    meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.AUTUMN,
                             starts_at=london_time(date(2025, 11, 19), time(9)), place="Hall")
    db.session.add(meeting)
    year.is_closed = True
    db.session.flush()
    with pytest.raises(DomainError, match="2025/26 is closed"):
        record_cluster_meeting(meeting, True, "Notes", set(), [])
