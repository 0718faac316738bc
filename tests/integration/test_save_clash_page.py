"""The page shown when two people save the same self-evaluation area: our markup is markup, the
people's text is escaped once."""
from __future__ import annotations

import pytest

from app.models import Role
from app.self_evaluations.service import start_self_evaluation
from tests.factories import enrol, make_programme_with_framework, make_school, make_user, make_year
from tests.pages import ClientRequest

USER_TEXT = "<b>x</b>"


def area_form(**texts):
    return {"level": "3", "version": "1", "not_evaluated_reason": "", "evidence": "", "strengths": "",
            "development": "", **texts}


@pytest.fixture
def clash_page(app, client_request, session) -> str:
    """The SENCo's save of area 1 after the head saved it from the same version: the page's HTML."""
    year = make_year(make_programme_with_framework())
    [school] = enrol(year, make_school())
    senco, head = make_user(Role.SENCO, school=school), make_user(Role.HEAD, school=school)
    evaluation = start_self_evaluation(school, year)
    session.commit()
    head_request = ClientRequest(app.test_client())
    head_request.sign_in(head)
    head_request.post("self_evaluations.area", area_form(evidence="The head's evidence"),
                      evaluation_id=evaluation.id, position=1)
    client_request.sign_in(senco)
    token = client_request.csrf_token("self_evaluations.area", evaluation_id=evaluation.id, position=1)
    response = client_request.client.post(
        client_request.url("self_evaluations.area", evaluation_id=evaluation.id, position=1),
        data={"csrf_token": token, **area_form(evidence=USER_TEXT)})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Someone else saved area 1" in html
    return html


def test_the_clash_pages_choices_are_our_markup_around_the_users_text_escaped(clash_page):
    assert "&lt;strong&gt;" not in clash_page and "&lt;div" not in clash_page
    assert "<strong>Keep your version</strong>" in clash_page
    assert "&lt;b&gt;x&lt;/b&gt;" in clash_page
    assert USER_TEXT not in clash_page and "&amp;lt;b" not in clash_page
