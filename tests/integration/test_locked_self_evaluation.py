"""What people are told about a self-evaluation they cannot change any more, and who signs it off
once it is submitted."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import Role
from app.self_evaluations.service import (
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.factories import enrol, make_programme_with_framework, make_school, make_user, make_year
from tests.pages import text_of


@pytest.fixture
def scene(session):
    year = make_year(make_programme_with_framework())
    [school] = enrol(year, make_school())
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 3})
    db.session.commit()
    return SimpleNamespace(evaluation=evaluation, senco=make_user(Role.SENCO, school=school, name="Sam Senco"),
                           head=make_user(Role.HEAD, school=school, name="Hana Head"))


def submit(scene):
    submit_self_evaluation(scene.evaluation, scene.senco)
    db.session.commit()


def post_area(client_request, scene, user):
    """Post a save of area 1 as `user`, follow the redirect, and return the page's text."""
    client_request.sign_in(user)
    return text_of(client_request.post(
        "self_evaluations.area", {"level": "1", "version": "2", "not_evaluated_reason": "", "evidence": "",
                                  "strengths": "", "development": ""},
        _form_endpoint="self_evaluations.show", _follow=True, _expected_status=200,
        evaluation_id=scene.evaluation.id, position=1))


def test_a_save_to_a_submitted_self_evaluation_says_why_and_who_can_reopen_it(client_request, scene):
    submit(scene)
    assert ("This self-evaluation has been submitted, so it can no longer be changed. Your headteacher can reopen it."
            in post_area(client_request, scene, scene.senco))


def test_a_save_to_a_signed_off_self_evaluation_says_it_is_signed_off(client_request, scene):
    submit(scene)
    sign_off_self_evaluation(scene.evaluation, scene.head)
    db.session.commit()
    assert ("This self-evaluation has been signed off, so it can no longer be changed. Your headteacher can reopen it."
            in post_area(client_request, scene, scene.senco))


def test_the_head_saving_to_a_submitted_self_evaluation_is_told_they_can_reopen_it(client_request, scene):
    submit(scene)
    assert "You can reopen it to make changes." in post_area(client_request, scene, scene.head)


def test_a_head_who_submits_is_told_they_can_sign_it_off_themselves(client_request, scene):
    client_request.sign_in(scene.head)
    page = text_of(client_request.post("self_evaluations.submit", _form_endpoint="self_evaluations.show", _follow=True,
                                       _expected_status=200, evaluation_id=scene.evaluation.id))
    assert "Self-evaluation submitted. You can now sign it off." in page and "Your headteacher" not in page
