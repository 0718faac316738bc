"""Action plan pages through real HTTP: drafting, finalising, versions, progress, who sees what,
overdue actions for the coach, and fixed query counts."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Action, ActionPlan, Enrolment, PlanStatus, QAVisit, Role
from tests.factories import enrol, make_programme, make_school, make_triad, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def scene(session):
    """A triad: A (coach), B and C; school B's plan is the one under test."""
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    triad = make_triad(year)
    coach_school, school, other = (m.school for m in triad.members)
    [outsider] = enrol(year, make_school())
    people = SimpleNamespace(
        senco=make_user(Role.SENCO, school=school, name="Sam Senco"),
        head=make_user(Role.HEAD, school=school, name="Hana Head"),
        coach=make_user(Role.SENCO, school=coach_school, name="Cora Coach"),
        peer=make_user(Role.HEAD, school=other, name="Pat Peer"),
        outsider=make_user(Role.SENCO, school=outsider, name="Olu Outsider"),
        expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
        admin=make_user(Role.ADMIN, name="Ada Admin"),
    )
    plan = start_action_plan(school, year)
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, triad=triad, school=school, plan=plan, **vars(people))


def action_form(plan, area_positions=(1,), owner=OTHER_OWNER, owner_name="Jo Smith", due=("27", "3", "2026"),
                description="Train staff in adaptive teaching", criteria="Every teacher trained by Easter"):
    areas = {a.position: a for a in areas_for(plan)}
    return {"areas": [str(areas[p].id) for p in area_positions], "description": description, "owner": owner,
            "owner_name": owner_name, "due_on": list(due), "success_criteria": criteria}


def add_action(plan, description="Train staff", due_on=date(2026, 3, 27)):
    areas = areas_for(plan)
    action = save_action(plan, None, ActionInput([areas[0].id], description, OTHER_OWNER, "Jo Smith", due_on, False,
                                                 "Done well"), areas, [])
    db.session.commit()
    return action


def finalise(scene):
    finalise_plan(scene.plan, scene.head)
    db.session.commit()


def finalised_then_redrafted(scene):
    """Version 1 finalised with "Train staff"; version 2 in draft with "A draft idea" instead."""
    action = add_action(scene.plan, "Train staff")
    finalise(scene)
    areas = areas_for(scene.plan)
    save_action(scene.plan, action, ActionInput([areas[0].id], "A draft idea", OTHER_OWNER, "Jo Smith",
                                                date(2026, 3, 27), False, "Done well"), areas, [])
    db.session.commit()


def test_the_senco_starts_the_plan_from_the_school_page(client_request, session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    [school] = enrol(year, make_school())
    client_request.sign_in(make_user(Role.SENCO, school=school))
    assert "Start action plan" in text_of(client_request.get("programmes.school", school_id=school.id))
    response = client_request.post("action_plans.start", school_id=school.id, year_id=year.id,
                                   _form_endpoint="programmes.school")
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.school_id == school.id))
    assert response.location.endswith(f"/action-plans/{plan.id}")


def test_adding_an_action_through_the_form(client_request, scene):
    client_request.sign_in(scene.senco)
    client_request.post("action_plans.new_action", action_form(scene.plan, area_positions=(2, 5)),
                        plan_id=scene.plan.id)
    [action] = scene.plan.actions
    db.session.refresh(action)
    assert (action.number, action.due_on, action.owner_name) == (1, date(2026, 3, 27), "Jo Smith")
    assert [a.position for a in action.areas] == [2, 5]
    page = client_request.get("action_plans.show", plan_id=scene.plan.id)
    assert "Train staff in adaptive teaching" in text_of(page, "#action-1")


@pytest.mark.parametrize(("changes", "message"), [
    ({"owner": ""}, "Choose who owns this action"),
    ({"due": ("", "", "")}, "Enter a due date"),
    ({"due": ("31", "2", "2026")}, "The due date must be a real date, for example 27 3 2026"),
])
def test_an_action_without_an_owner_or_a_due_date_is_refused_and_nothing_saved(client_request, scene, changes,
                                                                                message):
    client_request.sign_in(scene.senco)
    page = client_request.post("action_plans.new_action", action_form(scene.plan, **changes), _expected_status=200,
                               plan_id=scene.plan.id)
    assert error_messages(page) == [message]
    assert page.select_one("textarea[name=description]").text.strip() == "Train staff in adaptive teaching"
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0


def test_an_action_started_from_a_suggested_area_has_it_ticked(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.get_url(client_request.url("action_plans.new_action", plan_id=scene.plan.id, area=4))
    ticked = [box.find_next("label").text.strip() for box in page.select("input[name=areas][checked]")]
    assert ticked == ["4. Working with pupils and parents/carers of pupils with SEND"]


def test_the_head_finalises_and_a_later_edit_is_version_2_with_the_change_shown(client_request, scene):
    add_action(scene.plan, "Train staff")
    client_request.sign_in(scene.senco)
    client_request.post("action_plans.finalise", _expected_status=403, _form_endpoint="action_plans.show",
                        plan_id=scene.plan.id)
    client_request.sign_in(scene.head)
    client_request.post("action_plans.finalise", _form_endpoint="action_plans.show", plan_id=scene.plan.id)
    assert "Version 1 by Hana Head" in text_of(client_request.get("action_plans.show", plan_id=scene.plan.id))
    client_request.sign_in(scene.senco)
    response = client_request.post("action_plans.edit_action",
                                   {**action_form(scene.plan, description="Train all staff"), "version": "1"},
                                   _follow=True, _expected_status=200, plan_id=scene.plan.id, number=1)
    assert "This is now version 2 of the plan" in text_of(response, "body")
    db.session.refresh(scene.plan)
    assert (scene.plan.version, scene.plan.status) == (2, PlanStatus.DRAFT)
    version_one = client_request.get("action_plans.version", plan_id=scene.plan.id, number=1)
    assert "Train staff" in text_of(version_one) and "Train all staff" not in text_of(version_one)
    compare = client_request.get("action_plans.compare", plan_id=scene.plan.id)
    assert "Train all staff" in text_of(compare) and "Action 1: changed" in text_of(compare)


def test_progress_notes_are_added_and_kept(client_request, scene):
    add_action(scene.plan)
    client_request.sign_in(scene.senco)
    page = client_request.post("action_plans.progress", {"status": "at_risk", "note": "", "noted_on": ["", "", ""]},
                               _expected_status=200, plan_id=scene.plan.id, number=1)
    assert error_messages(page) == ["Enter a note about the progress"]
    client_request.post("action_plans.progress", {"status": "at_risk", "note": "Cover is short",
                                                   "noted_on": ["20", "11", "2025"]}, plan_id=scene.plan.id, number=1)
    client_request.post("action_plans.progress", {"status": "on_track", "note": "Back on track",
                                                   "noted_on": ["", "", ""]}, plan_id=scene.plan.id, number=1)
    text = text_of(client_request.get("action_plans.show", plan_id=scene.plan.id), "#action-1")
    assert "20 November 2025, At risk (Sam Senco): Cover is short" in text
    assert "Back on track" in text and "On track" in text


def test_a_progress_note_that_loses_a_race_with_an_autosave_of_its_action_saves_nothing_and_says_so(
        client_request, scene):
    """The action's autosave (another person, another request) lands between this request reading the action
    and writing it: the row's version moves under it, as a concurrent commit would move it."""
    action = add_action(scene.plan)
    client_request.sign_in(scene.senco)
    token = client_request.csrf_token("action_plans.progress", plan_id=scene.plan.id, number=1)

    landed = []

    def autosave_lands(session, _context, _instances):
        if not landed:
            landed.append(True)
            session.connection().execute(update(Action).where(Action.id == action.id)
                                         .values(version=Action.version + 1))

    event.listen(Session, "before_flush", autosave_lands)
    try:
        response = client_request.client.post(
            client_request.url("action_plans.progress", plan_id=scene.plan.id, number=1),
            data={"csrf_token": token, "status": "at_risk", "note": "Cover is short", "noted_on": ["", "", ""]})
    finally:
        event.remove(Session, "before_flush", autosave_lands)
    assert response.status_code == 409
    assert "Someone else saved this at the same moment" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Action, action.id).updates == []


# Who sees what

def test_a_draft_plan_is_private_to_the_school(client_request, scene):
    add_action(scene.plan)
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    for person in (scene.coach, scene.peer, scene.outsider, scene.expert, scene.lead, scene.admin):
        client_request.sign_in(person)
        client_request.get("action_plans.show", _expected_status=403, plan_id=scene.plan.id)


def test_a_finalised_plan_is_read_by_the_triad_and_the_qa_expert_and_the_lead_only_with_consent(client_request, scene):
    add_action(scene.plan, "Train staff")
    finalise(scene)
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    for person in (scene.coach, scene.peer, scene.expert):
        client_request.sign_in(person)
        page = client_request.get("action_plans.show", plan_id=scene.plan.id)
        assert "Train staff" in text_of(page) and not page.select("a[href*='/actions/']")
        client_request.get("action_plans.new_action", _expected_status=403, plan_id=scene.plan.id)
    for person in (scene.outsider, scene.lead, scene.admin):
        client_request.sign_in(person)
        client_request.get("action_plans.show", _expected_status=403, plan_id=scene.plan.id)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.school_id == scene.school.id))
    enrolment.shared_with_lead = True
    db.session.commit()
    client_request.sign_in(scene.lead)
    client_request.get("action_plans.show", plan_id=scene.plan.id)
    year_page = client_request.get("action_plans.year", year_id=scene.year.id)
    assert year_page.select(f"a[href$='/action-plans/{scene.plan.id}']")


def test_others_read_the_last_finalised_version_while_the_school_drafts_the_next(client_request, scene):
    finalised_then_redrafted(scene)
    client_request.sign_in(scene.peer)
    response = client_request.client.get(client_request.url("action_plans.show", plan_id=scene.plan.id))
    assert response.status_code == 302 and response.location.endswith(f"/action-plans/{scene.plan.id}/versions/1")
    page = client_request.get("action_plans.version", plan_id=scene.plan.id, number=1)
    assert "Train staff" in text_of(page) and "A draft idea" not in text_of(page)
    compare = client_request.get("action_plans.compare", plan_id=scene.plan.id)
    assert "A draft idea" not in text_of(compare)


def test_overdue_actions_show_to_the_school_and_the_triads_coach(client_request, scene):
    add_action(scene.plan, "Late action", due_on=clock.today() - timedelta(days=3))
    add_action(scene.plan, "Future action", due_on=clock.today() + timedelta(days=30))
    finalise(scene)
    client_request.sign_in(scene.senco)
    page = client_request.get("action_plans.show", plan_id=scene.plan.id)
    assert "Overdue" in text_of(page, "#action-1") and "Overdue" not in text_of(page, "#action-2")
    client_request.sign_in(scene.coach)
    page = client_request.get("action_plans.triad", triad_id=scene.triad.id)
    assert f"Overdue at {scene.school.name}" in text_of(page)
    assert "Late action" in text_of(page) and "Future action" not in text_of(page)
    assert "0 of 2 actions complete (0%)" in text_of(page)


def test_an_owner_who_left_is_flagged_until_reassigned(client_request, scene):
    client_request.sign_in(scene.senco)
    client_request.post("action_plans.new_action", action_form(scene.plan, owner=str(scene.head.id), owner_name=""),
                        plan_id=scene.plan.id)
    scene.head.active = False
    db.session.commit()
    page = client_request.get("action_plans.show", plan_id=scene.plan.id)
    assert "Owner left" in text_of(page, "#action-1") and "Hana Head" in text_of(page, "#action-1")
    client_request.post("action_plans.edit_action", {**action_form(scene.plan, owner_name="Jo Smith"), "version": "1"},
                        plan_id=scene.plan.id, number=1)
    assert "Owner left" not in text_of(client_request.get("action_plans.show", plan_id=scene.plan.id), "#action-1")


# Queries

def statements(client_request, endpoint, **values):
    db.session.commit()
    db.session.expire_all()
    client_request.get(endpoint, **values)
    return client_request.last_statements


def test_the_plan_page_and_the_triads_progress_page_take_fixed_queries(client_request, scene):
    from app.action_plans.service import record_progress

    for n in range(3):
        action = add_action(scene.plan, f"Action {n}")
    record_progress(action, "on_track", "Going well", None, scene.senco)
    finalise(scene)
    client_request.sign_in(scene.head)
    few = statements(client_request, "action_plans.show", plan_id=scene.plan.id)
    few_triad = statements(client_request, "action_plans.triad", triad_id=scene.triad.id)
    for n in range(12):
        action = add_action(scene.plan, f"More {n}")
        record_progress(action, "on_track", "Going well", None, scene.senco)
    finalise(scene)
    assert statements(client_request, "action_plans.show", plan_id=scene.plan.id) == few
    assert statements(client_request, "action_plans.triad", triad_id=scene.triad.id) == few_triad
    assert len(scene.plan.actions) == 15


def test_the_coachs_home_page_counts_overdue_actions_in_the_triad(client_request, scene):
    add_action(scene.plan, "Late action", due_on=clock.today() - timedelta(days=3))
    client_request.sign_in(scene.coach)
    assert "overdue action" not in text_of(client_request.get("main.home"))  # a draft is private
    finalise(scene)
    page = client_request.get("main.home")
    assert f"Follow up 1 overdue action in {scene.triad.name}'s other schools' plans" in text_of(page)
    client_request.sign_in(scene.senco)
    assert "Update 1 overdue action in the action plan" in text_of(client_request.get("main.home"))


# Exports

def test_the_plan_downloads_as_csv_excel_and_pdf(client_request, scene):
    import csv
    import io

    import openpyxl
    import pypdf

    add_action(scene.plan, "Train staff")
    add_action(scene.plan, "=cmd|' /C calc'!A0")  # a formula is written as text, never run
    client_request.sign_in(scene.senco)
    response = client_request.client.get(client_request.url("action_plans.export_csv", plan_id=scene.plan.id))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Action", "Areas", "What will be done"]
    assert [row[2] for row in rows[1:]] == ["Train staff", "'=cmd|' /C calc'!A0"]
    response = client_request.client.get(client_request.url("action_plans.export_xlsx", plan_id=scene.plan.id))
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet["C2"].value == "Train staff"
    from datetime import datetime

    from tests.workbooks import typed_cells, well_made_sheets

    [rows] = well_made_sheets(response.data).values()
    dates, numbers = typed_cells(rows)
    assert [row[0] for row in rows[1:]] == [1, 2] and numbers == [1, 2]  # the action numbers, as numbers
    assert [row[4] for row in rows[1:]] == dates[:2] and all(isinstance(d, datetime) for d in dates)
    response = client_request.client.get(client_request.url("action_plans.export_pdf", plan_id=scene.plan.id))
    assert response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert scene.school.name in text and "Train staff" in text and "Version 1, draft" in text


def test_others_download_the_last_finalised_version_and_outsiders_get_403(client_request, scene):
    import io

    import pypdf

    finalised_then_redrafted(scene)
    client_request.sign_in(scene.peer)
    response = client_request.client.get(client_request.url("action_plans.export_pdf", plan_id=scene.plan.id))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Train staff" in text and "A draft idea" not in text and "finalised by Hana Head" in text
    client_request.sign_in(scene.outsider)
    for endpoint in ("action_plans.export_csv", "action_plans.export_xlsx", "action_plans.export_pdf"):
        assert client_request.client.get(client_request.url(endpoint, plan_id=scene.plan.id)).status_code == 403


def test_the_lead_sees_every_schools_completion_without_the_text(client_request, scene):
    add_action(scene.plan, "Train staff")
    finalise(scene)
    client_request.sign_in(scene.lead)
    page = client_request.get("action_plans.year", year_id=scene.year.id)
    row = next(tr for tr in page.select("tbody tr") if scene.school.name in tr.text)
    assert "0 of 1 actions complete (0%)" in row.text and "Version 1 finalised" in row.text
    assert not row.select("a") and "Train staff" not in text_of(page)
