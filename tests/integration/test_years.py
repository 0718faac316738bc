"""A programme's years over its life, through real HTTP: the lead closes a year after a check page of what is
unfinished, and the year is read-only from then; an administrator reopens it with a reason, audited; the lead
starts the next year with the returning schools (in their clusters) and last year's triads as a draft; a
returning school's new plan offers last year's unfinished actions, carried on with a link to their history;
the programme page shows the years side by side and where the programme is in its arc."""
from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    record_progress,
    save_action,
    start_action_plan,
)
from app.celebration.service import submit_celebration, tag_learning
from app.clusters.service import assign_schools
from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.information_requests.service import answer_request, create_request
from app.meetings.service import london_time
from app.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Enrolment,
    ProgrammeYear,
    Role,
    Triad,
    TriadMeeting,
)
from app.self_evaluations.service import (
    reopen_self_evaluation,
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.celebrations import add_learning
from tests.factories import enrol, make_cluster, make_programme, make_school, make_triad, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def scene(session):
    """2025/26 of a programme: six schools in two triads (Alder coaches the first), four of them in the North
    cluster; Alder has a plan with one action done and one on track; Birch a self-evaluation in draft."""
    programme = make_programme(name="Bury SEND Triads")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    names = ["Alder Primary", "Birch Primary", "Cedar High", "Damson Primary", "Elm Primary", "Fir Academy"]
    schools = [make_school(name=name) for name in names]
    enrol(year, *schools)
    north = make_cluster(programme, name="North")
    assign_schools(north, year, {s.id for s in schools[:4]})
    first = make_triad(year, schools=schools[:3], name="Triad A")
    second = make_triad(year, schools=schools[3:], name="Triad B")
    db.session.add(TriadMeeting(triad_id=first.id, number=1, starts_at=year_day(year), held=True))
    senco = make_user(Role.SENCO, school=schools[0], name="Sam Senco")
    plan = start_action_plan(schools[0], year)
    areas = areas_for(plan)
    done = save_action(plan, None, ActionInput([areas[1].id], "Governor training", OTHER_OWNER, "Jo Smith",
                                               date(2026, 3, 1), False, "Governors trained"), areas, [])
    going = save_action(plan, None, ActionInput([areas[4].id, areas[6].id], "Graduated approach checklist",
                                                OTHER_OWNER, "Jo Smith", date(2026, 6, 1), False,
                                                "Every class teacher uses it"), areas, [])
    record_progress(done, ActionStatus.COMPLETE.value, "All trained", None, senco)
    evaluation = start_self_evaluation(schools[1], year)
    save_area(evaluation.ratings[0], evaluation.ratings[0].version, {"level": 2})
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, schools=schools, north=north, first=first,
                           second=second, plan=plan, done=done, going=going, senco=senco,
                           lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
                           admin=make_user(Role.ADMIN, name="Ada Admin"))


def year_day(year):
    return london_time(date(year.start_year, 10, 6), time(9))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_check_page_lists_what_is_unfinished_and_closing_makes_the_year_read_only(client_request, scene):
    client_request.sign_in(scene.lead)
    year_page = client_request.get("programmes.year", year_id=scene.year.id)
    assert year_page.select_one(f"a[href='/years/{scene.year.id}/close']") is not None
    page = client_request.get("years.close", year_id=scene.year.id)
    main = text_of(page)
    assert "Self-evaluations not signed off (6)" in main and "Birch Primary" in main
    assert "Action plans not finalised (6)" in main
    assert "Triad A: meeting 2, 3" in main and "Triad B: meeting 1, 2, 3" in main
    response = client_request.post("years.close", year_id=scene.year.id, _follow=True, _expected_status=200)
    assert "2025/26 is closed" in text_of(response, "body")
    db.session.expire_all()
    year = db.session.get(ProgrammeYear, scene.year.id)
    assert year.is_closed and year.closed_by_id == scene.lead.id and year.closed_at is not None
    closed_page = text_of(client_request.get("programmes.year", year_id=year.id))
    assert "2025/26 is closed" in closed_page and "Close 2025/26" not in closed_page
    assert "Form a triad" not in closed_page and "Import schools" not in closed_page
    # Read-only everywhere: the school's action, the lead's triads.
    client_request.sign_in(scene.senco)
    page = client_request.post("action_plans.edit_action", {"description": "Changed"}, plan_id=scene.plan.id,
                               number=2, _follow=True, _expected_status=200, _form_endpoint="main.home")
    assert "2025/26 is closed, so its action plan can no longer be changed." in text_of(page, "body")
    assert db.session.get(Action, scene.going.id).description == "Graduated approach checklist"
    client_request.sign_in(scene.lead)
    assert client_request.client.get(client_request.url("years.close", year_id=year.id)).status_code == 302


def test_only_an_administrator_reopens_a_closed_year_and_says_why(client_request, scene):
    scene.year.is_closed = True
    db.session.commit()
    client_request.sign_in(scene.lead)
    assert client_request.client.get(client_request.url("years.reopen", year_id=scene.year.id)).status_code == 403
    client_request.sign_in(scene.admin)
    page = client_request.post("years.reopen", {"reason": "  "}, year_id=scene.year.id, _expected_status=200)
    assert error_messages(page) == ["Enter why you are reopening the year"]
    assert db.session.get(ProgrammeYear, scene.year.id).is_closed
    client_request.post("years.reopen", {"reason": "Birch's sign-off was missed"}, year_id=scene.year.id)
    db.session.expire_all()
    year = db.session.get(ProgrammeYear, scene.year.id)
    assert not year.is_closed and year.reopen_reason == "Birch's sign-off was missed"
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == year.id,
                                                          AuditEvent.action == "update")).all()
    assert any(event.actor_id == scene.admin.id and event.changes.get("reopen_reason")
               and event.changes.get("is_closed") for event in audited)


def test_the_lead_starts_the_next_year_with_the_returning_schools_and_last_years_triads(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.get("years.next_year", programme_id=scene.programme.id)
    assert len(page.select("input[name=schools]:checked")) == 6
    assert "Triad A: Alder Primary, Birch Primary, Cedar High" in text_of(page)
    elm = scene.schools[4]
    returning = [str(s.id) for s in scene.schools if s is not elm]
    response = client_request.post("years.next_year", {"schools": returning, "triads": [str(scene.first.id),
                                                                                        str(scene.second.id)]},
                                   programme_id=scene.programme.id, _follow=True, _expected_status=200)
    assert "2026/27 started with 5 returning schools and 1 triads carried on" in text_of(response, "body")
    new = db.session.scalar(select(ProgrammeYear).where(ProgrammeYear.start_year == 2026))
    enrolled = {e.school_id: e.cluster_id for e in db.session.scalars(select(Enrolment)
                                                                      .where(Enrolment.year_id == new.id))}
    assert set(enrolled) == {s.id for s in scene.schools} - {elm.id}
    assert enrolled[scene.schools[0].id] == scene.north.id and enrolled[scene.schools[5].id] is None
    [copied] = db.session.scalars(select(Triad).where(Triad.year_id == new.id)).all()
    assert copied.name == "Triad A" and copied.coach.school_id == scene.schools[0].id
    assert sorted(m.school.name for m in copied.members) == ["Alder Primary", "Birch Primary", "Cedar High"]


def test_starting_a_year_needs_a_school_and_keeps_to_the_programmes_length(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("years.next_year", {"schools": [], "triads": []}, programme_id=scene.programme.id,
                               _expected_status=200)
    assert error_messages(page) == ["Choose at least one school to return, or add the year and import its schools"]
    assert _count(ProgrammeYear) == 1
    page = client_request.post("years.length", {"planned_years": "0"}, programme_id=scene.programme.id,
                               _expected_status=200)
    assert error_messages(page) == ["Enter a number of years from 1 to 10"]
    client_request.post("years.length", {"planned_years": "1"}, programme_id=scene.programme.id)
    page = client_request.post("years.next_year", {"schools": [str(scene.schools[0].id)]},
                               programme_id=scene.programme.id, _expected_status=200)
    assert error_messages(page) == ["Bury SEND Triads is planned to run for 1 years. Change its length first to "
                                    "add another"]
    client_request.post("years.length", {"planned_years": "3"}, programme_id=scene.programme.id)
    client_request.post("years.next_year", {"schools": [str(scene.schools[0].id)]}, programme_id=scene.programme.id)
    page = client_request.get("programmes.show", programme_id=scene.programme.id)
    assert "Year 2 of 3: 2026/27" in text_of(page)
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in page.select("tbody tr")]
    assert rows[0][:3] == ["2026/27 Year 2 of 3", "1", "0"] and rows[1][:3] == ["2025/26 Year 1 of 3", "6", "2"]


def _next_year_plan(scene):
    new = make_year(scene.programme, start_year=2026)
    enrol(new, scene.schools[0])
    db.session.commit()
    return start_action_plan(scene.schools[0], new)


def test_a_returning_schools_new_plan_carries_on_last_years_unfinished_actions(client_request, scene):
    plan = _next_year_plan(scene)
    db.session.commit()
    client_request.sign_in(scene.senco)
    page = client_request.get("action_plans.show", plan_id=plan.id)
    carry = text_of(page)
    assert "Carry on from 2025/26" in carry and "Graduated approach checklist" in carry
    assert "Governor training" not in carry  # completed
    [link] = [a for a in page.select("main a") if a.get_text(strip=True).startswith("Carry it on")]
    form = client_request.get_url(link["href"])
    assert form.select_one("textarea[name=description]").text.strip() == "Graduated approach checklist"
    checked = [box.find_next("label").get_text(strip=True) for box in form.select("input[name=areas]:checked")]
    assert [label.split(".")[0] for label in checked] == ["5", "7"]
    assert [i.get("value", "") for i in form.select("input[name=due_on]")] == ["", "", ""]
    fields = {"areas": [box["value"] for box in form.select("input[name=areas]:checked")],
              "description": "Graduated approach checklist, in every year group", "owner": OTHER_OWNER,
              "owner_name": "Jo Smith", "due_on": ["1", "6", "2027"], "success_criteria": "Every teacher uses it",
              "carried_from": form.select_one("input[name=carried_from]")["value"]}
    client_request.post("action_plans.new_action", fields, plan_id=plan.id)
    action = db.session.scalar(select(Action).where(Action.plan_id == plan.id))
    assert action.carried_from_id == scene.going.id
    page = client_request.get("action_plans.show", plan_id=plan.id)
    assert "Carry on from" not in text_of(page)  # nothing left to carry on
    history = page.find("a", string="Action 2 of last year's plan")
    assert history["href"].endswith(f"/action-plans/{scene.plan.id}#action-2")


def test_an_action_carries_on_only_the_schools_own_unfinished_action(client_request, scene):
    plan = _next_year_plan(scene)
    other = start_action_plan(scene.schools[1], scene.year)
    areas = areas_for(other)
    elsewhere = save_action(other, None, ActionInput([areas[0].id], "Birch's own", OTHER_OWNER, "Bo", date(2026, 5, 1),
                                                     False, "Done"), areas, [])
    db.session.commit()
    client_request.sign_in(scene.senco)
    form = client_request.get("action_plans.new_action", plan_id=plan.id, **{"from": str(elsewhere.id)})
    assert form.select_one("textarea[name=description]").text.strip() == ""
    client_request.post("action_plans.new_action", {
        "areas": [str(areas_for(plan)[0].id)], "description": "New", "owner": OTHER_OWNER, "owner_name": "Jo",
        "due_on": ["1", "6", "2027"], "success_criteria": "Done", "carried_from": str(elsewhere.id)}, plan_id=plan.id)
    assert db.session.scalar(select(Action).where(Action.plan_id == plan.id)).carried_from_id is None


def test_the_programme_page_costs_the_same_for_one_year_and_four(client_request, scene):
    client_request.sign_in(scene.lead)

    def statements() -> int:
        client_request.get("programmes.show", programme_id=scene.programme.id)
        return client_request.last_statements

    one = statements()
    for start in (2026, 2027, 2028):
        enrol(make_year(scene.programme, start_year=start), *scene.schools)
    db.session.commit()
    assert statements() == one


def test_a_closed_year_refuses_every_step_of_its_work(scene):
    """The steps that are not edits of a draft: submitting, signing off and reopening a self-evaluation,
    answering a request, tagging a learning. (The head's consent to share stays theirs to withdraw.)"""
    evaluation = start_self_evaluation(scene.schools[2], scene.year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 3})
    request = create_request(scene.year, scene.lead, "SEND register", "How many?", 10)
    learning = add_learning(scene.first, "Parent drop-ins")
    submit_celebration(scene.first, scene.senco)
    head = make_user(Role.HEAD, school=scene.schools[2], name="Hana Head")
    db.session.commit()
    scene.year.is_closed = True
    db.session.commit()
    recipient = next(r for r in request.recipients if r.school_id == scene.schools[2].id)
    steps = {
        "submit": lambda: submit_self_evaluation(evaluation, scene.senco),
        "answer": lambda: answer_request(recipient, head, "Fourteen"),
        "tag": lambda: tag_learning(learning, 3, 3, scene.lead),
    }
    for name, step in steps.items():
        with pytest.raises(DomainError, match="2025/26 is closed"):
            step()
        db.session.rollback()
        assert scene.year.is_closed, name
    evaluation.status = evaluation.status.SUBMITTED
    for step in (lambda: sign_off_self_evaluation(evaluation, head),
                 lambda: reopen_self_evaluation(evaluation, head, "A mistake")):
        with pytest.raises(DomainError, match="2025/26 is closed"):
            step()
