"""Viewing and adapting a programme's framework, through real HTTP."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.models import Framework, Role
from app.self_evaluations.service import start_self_evaluation
from tests.factories import enrol, make_programme, make_school, make_user, make_year
from tests.pages import error_messages, text_of

AREA_1 = {"description": "How well pupils with SEND do.", "mainstream": "First\n\nSecond", "specialist": "Only one"}


@pytest.fixture
def programme(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    return programme


@pytest.fixture
def lead(client_request, programme):
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    client_request.sign_in(lead)
    return lead


def versions(programme) -> int:
    return db.session.scalar(select(func.count()).select_from(Framework).where(Framework.programme_id == programme.id))


def test_the_lead_sees_the_framework_with_change_links(client_request, programme, lead):
    page = client_request.get("frameworks.show", programme_id=programme.id)
    text = text_of(page)
    assert "Version 1" in text and "Emerging" in text and "Outcomes for pupils with SEND" in text
    assert "keep the version they started on" in text
    changes = [a["href"] for a in page.select("main a") if a.get_text(" ", strip=True).startswith("Change")]
    assert len(changes) == 9  # the scale and each of the eight areas


def test_the_programme_page_links_to_the_framework(client_request, programme, lead):
    page = client_request.get("programmes.show", programme_id=programme.id)
    link = page.find("a", string="View and adapt the framework")
    assert link["href"] == client_request.url("frameworks.show", programme_id=programme.id)


def test_the_lead_edits_an_area(client_request, programme, lead):
    page = client_request.get("frameworks.edit_area", programme_id=programme.id, position=1)
    assert "Outcomes for pupils with SEND" in text_of(page)
    response = client_request.post("frameworks.edit_area", AREA_1, programme_id=programme.id, position=1)
    assert response.headers["Location"].endswith(f"/programmes/{programme.id}/framework")
    area = current_framework(programme).areas[0]
    assert area.description == "How well pupils with SEND do."
    assert [p.text for p in area.prompts_for("mainstream")] == ["First", "Second"]
    page = client_request.get("frameworks.show", programme_id=programme.id)
    assert "Area 1 updated." in text_of(page)


def test_editing_an_area_in_use_says_it_made_a_new_version(client_request, programme, lead):
    year = make_year(programme)
    [school] = enrol(year, make_school())
    start_self_evaluation(school, year)
    db.session.commit()
    client_request.post("frameworks.edit_area", AREA_1, programme_id=programme.id, position=1)
    page = client_request.get("frameworks.show", programme_id=programme.id)
    assert ("Area 1 updated as version 2, because schools have started self-evaluations on the earlier one."
            in text_of(page))
    assert "Version 2" in text_of(page)


def test_an_area_that_does_not_exist_is_not_found(client_request, programme, lead):
    client_request.get("frameworks.edit_area", _expected_status=404, programme_id=programme.id, position=9)


def test_an_invalid_area_is_shown_again_with_the_error_and_nothing_is_saved(client_request, programme, lead):
    page = client_request.post("frameworks.edit_area", {**AREA_1, "specialist": "\n  \n"}, _expected_status=200,
                               programme_id=programme.id, position=1)
    assert error_messages(page) == ["Enter at least one prompt statement for specialist settings"]
    assert page.select_one("#description").get_text() == "How well pupils with SEND do."
    db.session.expire_all()
    assert current_framework(programme).areas[0].description != "How well pupils with SEND do."


def test_the_lead_renames_a_scale_level(client_request, programme, lead):
    page = client_request.get("frameworks.edit_scale", programme_id=programme.id)
    assert page.select_one("#label_1")["value"] == "Emerging"
    data = {f"label_{level.value}": level.label for level in current_framework(programme).scale}
    client_request.post("frameworks.edit_scale", {**data, "label_1": "Starting"}, programme_id=programme.id)
    assert current_framework(programme).scale[0].label == "Starting"


def test_two_levels_with_the_same_label_are_refused(client_request, programme, lead):
    data = {"label_1": "Emerging", "label_2": "EMERGING", "label_3": "Established", "label_4": "Embedded"}
    page = client_request.post("frameworks.edit_scale", data, _expected_status=200, programme_id=programme.id)
    assert error_messages(page) == ["Each level needs a different label"]
    assert page.select_one(".govuk-error-summary a")["href"] == "#label_2"
    db.session.expire_all()
    assert current_framework(programme).scale[1].label == "Developing"
    assert versions(programme) == 1


def test_a_qa_expert_can_view_the_framework_but_not_change_it(client_request, programme):
    client_request.sign_in(make_user(Role.QA_EXPERT, programme=programme))
    page = client_request.get("frameworks.show", programme_id=programme.id)
    assert "Outcomes for pupils with SEND" in text_of(page)
    assert not [a for a in page.select("main a") if a.get_text(strip=True).startswith("Change")]
    client_request.get("frameworks.edit_area", _expected_status=403, programme_id=programme.id, position=1)
    client_request.get("frameworks.edit_scale", _expected_status=403, programme_id=programme.id)
    client_request.post("frameworks.edit_area", AREA_1, _expected_status=403, _form_endpoint="frameworks.show",
                        programme_id=programme.id, position=1)
    assert current_framework(programme).areas[0].description != AREA_1["description"]


def test_a_senco_in_the_programme_can_neither_view_nor_change_the_framework(client_request, programme):
    [school] = enrol(make_year(programme), make_school())
    client_request.sign_in(make_user(Role.SENCO, school=school))
    client_request.get("frameworks.show", _expected_status=403, programme_id=programme.id)
    client_request.get("frameworks.edit_area", _expected_status=403, programme_id=programme.id, position=1)
    client_request.post("frameworks.edit_scale", {"label_1": "Hacked"}, _expected_status=403,
                        _form_endpoint="main.home", programme_id=programme.id)
    assert current_framework(programme).scale[0].label == "Emerging"
