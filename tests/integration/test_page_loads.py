"""What the home page and the action plan page load: the same number of statements however much there is
(each role's home page at one triad and at three, the plan page at 2 actions and at 12), and the home
page's "Coming up" list: the calendar feed's entries in the next 60 days, the first five."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    finalise_plan,
    record_progress,
    save_action,
    start_action_plan,
    suggestions_for,
)
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.information_requests.service import create_request
from app.meetings.calendars import entries_for, upcoming_for
from app.models import (
    ActionPlan,
    Cluster,
    ClusterMeeting,
    EventKind,
    ModeratedRating,
    PeerVisit,
    ProgrammeEvent,
    ProgrammeYear,
    Role,
    RoleAssignment,
    Term,
    Triad,
    TriadMeeting,
    User,
)
from app.self_evaluations.moderation import assign_qa_expert
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.celebrations import add_learning
from tests.factories import enrol, make_cluster, make_programme, make_school, make_triad, make_user, make_year
from tests.pages import task_section, text_of

NOW = datetime(2025, 11, 3, 9, 0, tzinfo=timezone.utc)
PAST, SOON, LATER = NOW - timedelta(days=20), NOW + timedelta(days=10), NOW + timedelta(days=90)
LEVELS = (3, 1, 4, 2, 3, 2, 4, 4)


@dataclass
class World:
    """A programme year, a cluster, and the people whose home pages are measured. `person` is head of
    every triad's coach school and SENCo of its second school; `staff` the head and SENCo of each school."""

    year: ProgrammeYear
    cluster: Cluster
    lead: User
    expert: User
    cluster_lead: User
    person: User
    triads: list[Triad] = field(default_factory=list)
    staff: dict[uuid.UUID, tuple[User, User]] = field(default_factory=dict)

    def plan_of(self, school_id: uuid.UUID) -> ActionPlan:
        return db.session.scalar(select(ActionPlan).where(ActionPlan.school_id == school_id))


@pytest.fixture
def world(session) -> World:
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    cluster = make_cluster(programme)
    db.session.add_all([
        ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.AUTUMN, starts_at=PAST, place="Hall"),
        ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.SPRING, starts_at=SOON, place="Hall"),
        ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=Term.SUMMER, starts_at=LATER, place="Hall"),
        ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=PAST, place="Town hall"),
        # At the same moment as the spring cluster meeting (and a meeting and a QA visit): the kinds keep
        # the feed's order.
        ProgrammeEvent(year_id=year.id, kind=EventKind.CELEBRATION, starts_at=SOON, place="Town hall"),
    ])
    db.session.commit()
    return World(year, cluster, lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lee Lead"),
                 expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
                 cluster_lead=make_user(Role.CLUSTER_LEAD, cluster=cluster, name="Cleo Clusterlead"),
                 person=make_user(name="Pat Person"))


def add_actions(plan: ActionPlan, head: User, senco: User, how_many: int) -> None:
    """Actions owned in turn by the head and the SENCo, each with a note by its owner and one by the other."""
    areas = areas_for(plan)
    staff = [head, senco]
    for n in range(how_many):
        owner, other = staff[n % 2], staff[(n + 1) % 2]
        action = save_action(plan, None, ActionInput([areas[n % len(areas)].id, areas[(n + 3) % len(areas)].id],
                                                     f"Action {n}", str(owner.id), "",
                                                     date(2025, 10, 1) + timedelta(days=20 * n), False, "Done well"),
                             areas, staff)
        record_progress(action, "on_track", f"Note {n}", date(2025, 10, 2), owner)
        record_progress(action, "complete" if n % 3 == 0 else "on_track", f"Later note {n}", date(2025, 10, 9), other)
    db.session.commit()


def _plan(school, year: ProgrammeYear, head: User, senco: User, actions: int) -> ActionPlan:
    """A plan with `actions` actions, finalised; then one more in draft, so others read the finalised version."""
    plan = start_action_plan(school, year)
    add_actions(plan, head, senco, actions)
    finalise_plan(plan, head)
    areas = areas_for(plan)
    save_action(plan, None, ActionInput([areas[0].id], "A draft idea", OTHER_OWNER, "Jo Smith", date(2026, 3, 27),
                                        False, "Done well"), areas, [head, senco])
    db.session.commit()
    return plan


def _evaluated(school, year: ProgrammeYear, head: User, expert: User, when: datetime) -> None:
    """A submitted self-evaluation, its QA visit booked and two areas moderated (one two levels apart)."""
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": LEVELS[rating.area.position - 1]})
    submit_self_evaluation(evaluation, head)
    visit = assign_qa_expert(year, school, expert.id)
    visit.starts_at = when
    by_position = {r.area.position: r.area_id for r in evaluation.ratings}
    visit.moderated += [ModeratedRating(area_id=by_position[1], level=1),
                        ModeratedRating(area_id=by_position[2], level=2)]
    db.session.commit()


def add_triad(world: World) -> Triad:
    """A triad in the cluster with everything its schools' home pages show: meetings and visits in the past,
    in the next 60 days and beyond, self-evaluations, plans, key learnings and an information request."""
    n = len(world.triads)
    schools = enrol(world.year, make_school(), make_school(), make_school(), cluster=world.cluster)
    triad = make_triad(world.year, schools)
    coach, second, third = schools
    world.person.roles += [RoleAssignment(role=Role.HEAD, school=coach), RoleAssignment(role=Role.SENCO, school=second)]
    for position, school in enumerate(schools):
        head = make_user(Role.HEAD, school=school, name=f"Head {n}.{position}")
        senco = make_user(Role.SENCO, school=school, name=f"Senco {n}.{position}")
        world.staff[school.id] = (head, senco)
        _evaluated(school, world.year, head, world.expert, SOON + timedelta(hours=n, minutes=position))
        _plan(school, world.year, head, senco, actions=2 + n)
    areas = areas_for(world.plan_of(coach.id))
    hours = timedelta(hours=n)
    db.session.add_all([
        TriadMeeting(triad_id=triad.id, number=1, starts_at=PAST + hours, place="Room 4"),
        TriadMeeting(triad_id=triad.id, number=2, starts_at=SOON + hours, place="Room 4", agenda="Review"),
        TriadMeeting(triad_id=triad.id, number=3, starts_at=LATER + hours, place="Room 4"),
        PeerVisit(triad_id=triad.id, visited_school_id=second.id, starts_at=NOW + timedelta(days=5) + hours,
                  focus_area_id=areas[0].id),
        PeerVisit(triad_id=triad.id, visited_school_id=third.id, starts_at=NOW + timedelta(days=61) + hours,
                  focus_area_id=areas[1].id),
    ])
    db.session.commit()
    add_learning(triad, f"Parent drop-ins {n}")
    create_request(world.year, world.lead, f"Numbers {n}", "How many pupils have an EHCP?", 10,
                   issued_on=date(2025, 11, 3))
    db.session.commit()
    world.triads.append(triad)
    return triad


def statements(client_request, user: User, endpoint: str = "main.home", **values) -> int:
    db.session.commit()
    db.session.expire_all()
    client_request.sign_in(user)
    with clock.frozen_at(NOW):
        client_request.get(endpoint, **values)
    return client_request.last_statements


HOME_PAGES = ("person", "expert", "cluster_lead", "lead")


def test_every_home_page_takes_the_same_statements_for_one_triad_or_three(client_request, world):
    add_triad(world)
    few = {who: statements(client_request, getattr(world, who)) for who in HOME_PAGES}
    add_triad(world)
    add_triad(world)
    assert {who: statements(client_request, getattr(world, who)) for who in HOME_PAGES} == few


def test_the_home_page_shows_what_is_coming_up_and_what_to_do(client_request, world):
    triad = add_triad(world)
    client_request.sign_in(world.person)
    with clock.frozen_at(NOW):
        page = client_request.get("main.home")
    coming_up = text_of(page, "#coming-up")
    assert f"Peer visit to {triad.members[1].school.name}" in coming_up
    assert f"{triad.name} meeting 2: review progress" in coming_up and "meeting 3" not in coming_up
    todo, waiting = task_section(page, "to-do"), task_section(page, "waiting")
    assert "Sign off the self-evaluation" in todo  # as the coach school's head
    assert "Finish the action plan" in todo and "3 actions so far" in todo
    assert f"Write {triad.name}'s key learnings for the celebration" in todo
    assert f"Follow up 2 overdue actions in {triad.name}'s other schools' plans" in text_of(page, "main")
    assert "Sign off the self-evaluation" in waiting  # as the second school's SENCo


def test_the_action_plan_page_takes_the_same_statements_for_2_actions_or_12(client_request, world):
    triad = add_triad(world)
    own, other = world.plan_of(triad.members[0].school_id), world.plan_of(triad.members[2].school_id)
    finalise_plan(other, world.staff[other.school_id][0])  # the coach reads a finalised plan as it stands
    few = statements(client_request, world.person, "action_plans.show", plan_id=own.id)
    few_as_coach = statements(client_request, world.person, "action_plans.show", plan_id=other.id)
    for plan in (own, other):
        head, senco = world.staff[plan.school_id]
        for _ in range(3):  # more actions, notes and finalised versions
            add_actions(plan, head, senco, 4)
            finalise_plan(plan, head)
    assert statements(client_request, world.person, "action_plans.show", plan_id=own.id) == few
    assert statements(client_request, world.person, "action_plans.show", plan_id=other.id) == few_as_coach
    assert (len(own.actions), len(own.versions)) == (15, 4)


def test_the_plan_suggests_the_lowest_rated_areas_and_the_qa_flags(client_request, world):
    triad = add_triad(world)
    plan = world.plan_of(triad.members[0].school_id)
    suggested = [(s.area.position, s.level_text.split(" ")[0], s.flagged) for s in suggestions_for(plan)]
    # Levels 1 (area 2) and 2 (areas 4 and 6); area 1 (3, moderated 1) is two levels apart, area 2 (1 and 2) not.
    assert suggested == [(2, "1", False), (4, "2", False), (6, "2", False), (1, "3", True)]
    client_request.sign_in(world.person)
    page = text_of(client_request.get("action_plans.show", plan_id=plan.id))
    assert "Your lowest-rated areas and the areas your QA expert flagged:" in page
    assert all(f"{s.area.position}. {s.area.title}: {s.level_text}" in page for s in suggestions_for(plan))


def in_window(user: User, now: datetime, days: int = 60, limit: int = 5) -> list:
    """What the home page listed before it filtered in SQL: the feed's entries in the window, the first few."""
    return [e for e in entries_for(user) if now <= e.starts_at <= now + timedelta(days=days)][:limit]


def test_upcoming_entries_are_the_feeds_in_the_next_60_days(app, world):
    for _ in range(3):
        add_triad(world)
    # Entries exactly at the window's ends are in it.
    first, last = world.triads[0], world.triads[2]
    db.session.scalar(select(TriadMeeting).where(TriadMeeting.triad_id == first.id, TriadMeeting.number == 1)
                      ).starts_at = NOW
    db.session.scalar(select(PeerVisit).where(PeerVisit.triad_id == last.id, PeerVisit.starts_at > LATER - timedelta(
        days=40))).starts_at = NOW + timedelta(days=60)
    db.session.commit()
    with app.test_request_context():
        everything = [e.starts_at for e in entries_for(world.person)]
        assert min(everything) < NOW < NOW + timedelta(days=60) < max(everything)  # before, in and after
        for user in (world.person, world.expert, world.cluster_lead, world.lead):
            for now in (NOW, NOW + timedelta(days=3), LATER):
                assert upcoming_for(user, now) == in_window(user, now)
                assert upcoming_for(user, now, days=90, limit=50) == in_window(user, now, days=90, limit=50)
        coming = upcoming_for(world.person, NOW, limit=50)
        assert len(upcoming_for(world.person, NOW)) == 5 < len(coming)
        assert (coming[0].starts_at, coming[-1].starts_at) == (NOW, NOW + timedelta(days=60))
