"""Everyone but a school's own staff sees its last finalised action plan, never the draft of the next:
the triad's progress page, the coach's digest and home page, the lead's completion page, the triad
and school reports, and the exports (action_plans.shared_actions is the one way in)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import select

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.common import clock
from app.extensions import db
from app.models import OutboxEmail, Role
from app.notifications.reminders import queue_overdue_digest
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import text_of
from tests.unit.test_school_reports import pdf_text

FINALISED = "Train staff in adaptive teaching"
DRAFT_EDIT = "Draft wording nobody else may read"
DRAFT_ACTION = "A new draft action, already overdue"
DRAFTS = (DRAFT_EDIT, DRAFT_ACTION)


def _save(plan, action, description, due_on):
    areas = areas_for(plan)
    return save_action(plan, action, ActionInput([areas[0].id], description, OTHER_OWNER, "Jo Smith", due_on, False,
                                                 "Every teacher trained"), areas, [])


@pytest.fixture
def scene(session):
    """A triad: Coach (the coach school), Birch (the plan under test) and Third. Birch finalised
    version 1 with one overdue action, then in draft changed its text and added a second overdue one."""
    year = make_year(make_programme_with_framework())
    triad = make_triad(year)
    coach_school, school, third = (m.school for m in triad.members)
    people = SimpleNamespace(
        head=make_user(Role.HEAD, school=school, name="Hana Head", email="head@birch.example"),
        coach=make_user(Role.SENCO, school=coach_school, name="Cora Coach", email="coach@coach.example"),
        third=make_user(Role.HEAD, school=third, name="Tia Third", email="head@third.example"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lena Lead"),
    )
    plan = start_action_plan(school, year)
    late = clock.today() - timedelta(days=10)
    action = _save(plan, None, FINALISED, late)
    finalise_plan(plan, people.head)
    _save(plan, action, DRAFT_EDIT, late)
    _save(plan, None, DRAFT_ACTION, clock.today() - timedelta(days=3))
    db.session.commit()
    return SimpleNamespace(year=year, triad=triad, school=school, plan=plan, **vars(people))


def download(client_request, user, endpoint, **values) -> bytes:
    client_request.sign_in(user)
    response = client_request.client.get(client_request.url(endpoint, **values))
    assert response.status_code == 200
    return response.data


def assert_no_drafts(text: str) -> None:
    assert [draft for draft in DRAFTS if draft in text] == []


@pytest.mark.parametrize("who", ["coach", "third"])
def test_the_triad_progress_page_shows_others_only_the_finalised_version(client_request, scene, who):
    client_request.sign_in(getattr(scene, who))
    page = text_of(client_request.get("action_plans.triad", triad_id=scene.triad.id))
    assert_no_drafts(page)
    assert f"Overdue at {scene.school.name}" in page and FINALISED in page
    row = next(tr for tr in client_request.get("action_plans.triad", triad_id=scene.triad.id).select("tbody tr")
               if scene.school.name in tr.text)
    assert "0 of 1 actions complete (0%)" in row.text and row.select("td")[-1].text.strip() == "1"


def test_the_triad_progress_page_shows_the_schools_own_staff_their_draft(client_request, scene):
    client_request.sign_in(scene.head)
    page = text_of(client_request.get("action_plans.triad", triad_id=scene.triad.id))
    assert DRAFT_EDIT in page and DRAFT_ACTION in page and "0 of 2 actions complete (0%)" in page


def test_the_coachs_overdue_digest_holds_only_the_finalised_version(scene):
    assert queue_overdue_digest(datetime.now(timezone.utc)) == 2  # the school's head and the coach
    bodies = dict(db.session.execute(select(OutboxEmail.to_address, OutboxEmail.body)
                                     .where(OutboxEmail.dedupe_key.like("digest:%"))).all())  # not the notices
    # Emails name actions by number (what they say stays on the plan): the coach hears of action 1
    # only, the school's own head of the draft's second action too.
    assert "- Action 1 " in bodies["coach@coach.example"] and "- Action 2 " not in bodies["coach@coach.example"]
    assert "- Action 1 " in bodies["head@birch.example"] and "- Action 2 " in bodies["head@birch.example"]
    assert_no_drafts(bodies["coach@coach.example"] + bodies["head@birch.example"])


def test_the_coachs_home_page_counts_only_the_finalised_versions_overdue_actions(client_request, scene):
    client_request.sign_in(scene.coach)
    page = text_of(client_request.get("main.home"))
    assert f"Follow up 1 overdue action in {scene.triad.name}'s other schools' plans" in page


def test_the_leads_completion_page_counts_only_the_finalised_version(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.get("action_plans.year", year_id=scene.year.id)
    row = next(tr for tr in page.select("tbody tr") if scene.school.name in tr.text)
    assert "0 of 1 actions complete (0%)" in row.text and row.select("td")[-1].text.strip() == "1"


@pytest.mark.parametrize("who", ["coach", "third"])
def test_the_triad_report_shows_others_only_the_finalised_version(client_request, scene, who):
    _, text = pdf_text(download(client_request, getattr(scene, who), "reports.triad_report", triad_id=scene.triad.id))
    assert "0 of 1 actions complete (0%)" in text and "1 overdue" in text
    assert "0 of 2 actions complete" not in text and "2 overdue" not in text


def test_the_school_report_shows_another_school_only_the_finalised_version(client_request, scene):
    _, text = pdf_text(download(client_request, scene.third, "reports.school_report", school_id=scene.school.id,
                                year_id=scene.year.id))
    assert FINALISED in text and "Version 1" in text
    assert_no_drafts(text)


def test_the_exports_give_another_school_only_the_finalised_version(client_request, scene):
    rows = list(csv.reader(io.StringIO(download(client_request, scene.third, "action_plans.export_csv",
                                                plan_id=scene.plan.id).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == [FINALISED]
    sheet = openpyxl.load_workbook(io.BytesIO(download(client_request, scene.third, "action_plans.export_xlsx",
                                                       plan_id=scene.plan.id))).active
    assert [cell.value for cell in sheet["C"]][1:] == [FINALISED]
    _, text = pdf_text(download(client_request, scene.third, "action_plans.export_pdf", plan_id=scene.plan.id))
    assert FINALISED in text
    assert_no_drafts(text)
