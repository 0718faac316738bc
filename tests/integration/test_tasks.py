"""The task list on each person's home page: what is to do, waiting and done at each step of the year, for
each party; its links open for the person; the header's count; and a fixed number of statements however many
schools the person has."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.common import clock, dates
from app.deadlines.service import set_deadlines
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import DeadlineKind, Role, RoleAssignment, TriadMeeting
from app.self_evaluations.moderation import assign_qa_expert, record_moderation
from app.self_evaluations.service import (
    evaluation_page,
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.factories import make_programme, make_triad, make_user, make_year
from tests.integration.test_page_loads import World, add_triad, world  # noqa: F401  (the fixture)
from tests.pages import task_links, task_section, text_of
from tests.seeded import ROLES, rolled_back, seed_year


@pytest.fixture
def scene(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    triad = make_triad(make_year(programme))
    coach, school, partner = (m.school for m in sorted(triad.members, key=lambda m: m.position))
    people = {
        "coach": make_user(Role.SENCO, school=coach, name="Cora Coach"),
        "head": make_user(Role.HEAD, school=school, name="Hana Head"),
        "senco": make_user(Role.SENCO, school=school, name="Sam Senco"),
        "qa": make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        "lead": make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lee Lead"),
    }
    return triad, school, people


def _home(client_request, person):
    client_request.sign_in(person)
    return client_request.get("main.home")


def test_each_step_of_the_self_evaluation_moves_the_task_to_whoever_has_it_next(client_request, scene):
    triad, school, people = scene
    page = _home(client_request, people["senco"])
    assert "Start the self-evaluation" in task_section(page, "to-do")
    page = _home(client_request, people["head"])
    assert "Start the self-evaluation" in task_section(page, "waiting")  # the SENCo writes it
    assert "With Sam Senco" in task_section(page, "waiting")

    evaluation = start_self_evaluation(school, triad.year)
    for rating in evaluation.ratings[:3]:
        save_area(rating, rating.version, {"level": 3})
    db.session.commit()
    page = _home(client_request, people["senco"])
    assert "Finish and submit the self-evaluation 3 of 8 areas done" in task_section(page, "to-do")

    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 4})
    submit_self_evaluation(evaluation, people["senco"])
    db.session.commit()
    page = _home(client_request, people["head"])
    assert task_links(page)["Sign off the self-evaluation"] == f"/self-evaluations/{evaluation.id}"
    todo = len(page.select("section[aria-labelledby=to-do] li"))  # signing off and deciding on sharing
    assert todo == 2 and text_of(page, ".app-count") == f"{todo} to do"  # the header counts them
    page = _home(client_request, people["senco"])
    assert "Sign off the self-evaluation With Hana Head" in task_section(page, "waiting")

    sign_off_self_evaluation(evaluation, people["head"])
    assign_qa_expert(triad.year, school, people["qa"].id)
    db.session.commit()
    for who in ("head", "senco"):
        page = _home(client_request, people[who])
        assert "Sign off" not in task_section(page, "to-do") + task_section(page, "waiting")
        assert "Self-evaluation signed off" in task_section(page, "done")
        assert "Start the action plan" in task_section(page, "to-do" if who == "senco" else "waiting")

    page = _home(client_request, people["qa"])
    assert "Read the self-evaluation before the visit" in task_section(page, "to-do")
    visit = evaluation_page(evaluation.id).visit
    visit.starts_at = clock.now() - timedelta(days=1)
    db.session.commit()
    page = _home(client_request, people["qa"])
    assert task_links(page)["Record your moderated ratings"] == f"/self-evaluations/{evaluation.id}/moderation"
    record_moderation(evaluation_page(evaluation.id), people["qa"], {2: (1, "Less secure")})
    db.session.commit()
    assert "Moderated ratings recorded" in task_section(_home(client_request, people["qa"]), "done")
    page = _home(client_request, people["senco"])
    assert task_links(page)["Respond to the QA expert's rating of area 2"].endswith("/areas/2/response")


def test_the_head_decides_on_sharing_once_the_self_evaluation_is_in(client_request, scene):
    triad, school, people = scene
    evaluation = start_self_evaluation(school, triad.year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 3})
    submit_self_evaluation(evaluation, people["senco"])
    db.session.commit()
    page = _home(client_request, people["head"])
    link = task_links(page)["Decide whether to share your self-evaluation and plan with the programme lead"]
    assert link == f"/self-evaluations/{evaluation.id}#sharing"
    assert "Decide whether to share" not in text_of(_home(client_request, people["senco"]))  # the head's alone
    client_request.sign_in(people["head"])
    client_request.post("self_evaluations.sharing", {"shared": ""}, _form_endpoint="self_evaluations.show",
                        evaluation_id=evaluation.id)  # not shared: a decision all the same
    page = _home(client_request, people["head"])
    assert "Decide whether to share" not in task_section(page, "to-do")
    assert "Not shared with the programme lead" in task_section(page, "done")


def test_the_coach_school_books_and_writes_up_the_meetings_and_visits(client_request, scene):
    triad, school, people = scene
    page = _home(client_request, people["coach"])
    todo = task_section(page, "to-do")
    assert all(f"Book triad meeting {n}" in todo for n in (1, 2, 3))
    assert f"Book the peer visit to {school.name}" in todo
    assert task_links(page)["Book triad meeting 1"] == f"/triads/{triad.id}/meetings/1"
    assert "Book triad meeting" not in text_of(_home(client_request, people["senco"]))  # not the coach

    meeting = TriadMeeting(triad_id=triad.id, number=1, starts_at=clock.now() - timedelta(days=2), place="Hall")
    db.session.add(meeting)
    db.session.commit()
    page = _home(client_request, people["coach"])
    assert "Book triad meeting 1" not in task_section(page, "to-do")
    assert task_links(page)["Record meeting 1: who came, and the notes"] == f"/meetings/{meeting.id}/record"
    assert "Overdue" in task_section(page, "to-do")


def test_the_programme_lead_places_schools_assigns_experts_and_books_visits(client_request, scene):
    triad, school, people = scene
    page = _home(client_request, people["lead"])
    todo = task_section(page, "to-do")
    assert "Assign a QA expert to 3 schools" in todo
    assert "Self-evaluations: 3 schools still to submit" in task_section(page, "waiting")
    assign_qa_expert(triad.year, school, people["qa"].id)
    db.session.commit()
    # one school of three assigned: the counts of 1 and 2 schools are not shown, as on the dashboard
    todo = task_section(_home(client_request, people["lead"]), "to-do")
    assert "Assign a QA expert to some schools" in todo and "Book some QA visits" in todo


def test_the_programme_deadlines_are_the_tasks_due_dates(client_request, scene):
    with clock.frozen_at(datetime(2026, 1, 15, 12, tzinfo=timezone.utc)):  # in the scene's year, 2025/26
        triad, school, people = scene
        assert "Set the deadlines for 2025/26" in task_section(_home(client_request, people["lead"]), "to-do")
        submit_by = clock.today() + timedelta(days=3)
        set_deadlines(triad.year, {DeadlineKind.SUBMITTED: submit_by,
                                   DeadlineKind.PLANS_FINALISED: clock.today() - timedelta(days=1)})
        start_self_evaluation(school, triad.year)
        db.session.commit()
        page = _home(client_request, people["senco"])
        todo = task_section(page, "to-do")
        # most urgent first: the plan, overdue, before the self-evaluation due in three days
        assert todo.index("Start the action plan") < todo.index("Finish and submit the self-evaluation")
        assert f"Overdue: due {dates.day(clock.today() - timedelta(days=1))}" in todo
        assert f"Due {dates.day(submit_by)}" in todo
        page = _home(client_request, people["lead"])
        assert "Set the deadlines" not in task_section(page, "to-do")
        assert f"3 schools still to submit Chase late schools from the deadlines page Due {dates.day(submit_by)}" in (
            task_section(page, "waiting"))


def test_every_link_in_every_task_list_opens_for_its_person(app, client_request, session):
    seeded = seed_year()
    for role in ROLES:
        person = seeded.users[role]
        if person is None:
            continue
        with rolled_back():
            client_request.sign_in(db.session.get(type(person), seeded.ids["users"][role]))
            page = client_request.get("main.home")
            links = [a["href"] for a in page.select("main a") if a["href"].startswith("/")]
            assert links, role
            for href in links:
                response = client_request.client.get(href)
                assert response.status_code == 200, (role, href, response.status_code)


def test_the_task_list_takes_the_same_statements_for_6_schools_or_24(client_request, world):  # noqa: F811
    """Four times the schools (each triad's coach school and one other are the person's), the same statements."""
    for _ in range(3):
        add_triad(world)
    world.person.roles.append(RoleAssignment(role=Role.PROGRAMME_LEAD, programme=world.year.programme))
    world.person.roles.append(RoleAssignment(role=Role.CLUSTER_LEAD, cluster=world.cluster))
    db.session.commit()
    client_request.sign_in(world.person)
    client_request.get("main.home")
    few = client_request.last_statements
    for _ in range(9):
        add_triad(world)
    assert len({r.school_id for r in world.person.roles if r.school_id}) == 24
    page = client_request.get("main.home")
    assert client_request.last_statements == few
    assert len(page.select("section[aria-labelledby=to-do] h3")) >= 12  # every school with something to do is there
