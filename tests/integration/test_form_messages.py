"""Every field that could show one of WTForms' own messages ("Not a valid integer value.", "Not a valid
choice.") shows a GOV.UK one instead when a bad value is posted."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.common import clock
from app.models import Role
from app.self_evaluations.service import start_self_evaluation
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages

TODAY = clock.today()
THIS_YEAR = TODAY.year if TODAY.month >= 9 else TODAY.year - 1
WTFORMS_WORDS = ("Not a valid", "This field is required", "Invalid", "Field must", "Number must")


@pytest.fixture
def scene(session):
    programme = make_programme_with_framework()
    year = make_year(programme, start_year=THIS_YEAR)
    triad = make_triad(year)
    coach_school = triad.members[0].school
    return SimpleNamespace(
        programme=programme, year=year, triad=triad, evaluation=start_self_evaluation(coach_school, year),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme), admin=make_user(Role.ADMIN),
        senco=make_user(Role.SENCO, school=coach_school))


def posted(client_request, user, endpoint, data, **values) -> list[str]:
    client_request.sign_in(user)
    page = client_request.post(endpoint, data, _expected_status=200, **values)
    messages = error_messages(page)
    assert not [m for m in messages if any(words in m for words in WTFORMS_WORDS)], messages
    return messages


def test_working_days_that_are_not_a_number_ask_for_a_number(client_request, scene):
    messages = posted(client_request, scene.lead, "requests.new",
                      {"title": "SEND register", "details": "How many?", "working_days": "ten", "audience": "all"},
                      year_id=scene.year.id)
    assert messages == ["Enter the number of working days as a number, like 10"]


def test_a_meeting_length_that_is_not_a_number_asks_for_minutes(client_request, scene):
    messages = posted(client_request, scene.lead, "scheduling.meeting",
                      {"day": [str(TODAY.day), str(TODAY.month), str(TODAY.year)], "time": "9:30",
                       "duration_minutes": "an hour", "host_school_id": ""},
                      triad_id=scene.triad.id, number=1)
    assert messages == ["Enter how long it lasts as a number of minutes, like 90"]


def test_a_start_year_that_is_not_a_number_asks_for_a_year_as_a_number(client_request, scene):
    messages = posted(client_request, scene.lead, "programmes.new_year", {"start_year": "2025/26"},
                      programme_id=scene.programme.id)
    assert messages == ["Enter the year the academic year starts as a number, like 2025"]


def test_an_unknown_type_of_organisation_asks_for_the_type(client_request, scene):
    messages = posted(client_request, scene.admin, "admin.new_organisation", {"name": "Riverside", "kind": "club"})
    assert messages == ["Choose the type of organisation"]


def test_an_unknown_role_asks_for_the_person_s_role(client_request, scene):
    messages = posted(client_request, scene.lead, "programmes.invite",
                      {"name": "Sam Senco", "email": "sam@example.org", "role": "owner", "school": "", "cluster": ""},
                      programme_id=scene.programme.id)
    assert messages == ["Choose the person's role"]


@pytest.mark.parametrize("version", ["", "one"])
def test_an_area_posted_without_a_usable_version_says_the_page_is_out_of_date(client_request, scene, version):
    messages = posted(client_request, scene.senco, "self_evaluations.area",
                      {"level": "3", "evidence": "Notes", "version": version},
                      evaluation_id=scene.evaluation.id, position=1)
    assert messages == ["The page is out of date. Reload it to carry on"]
