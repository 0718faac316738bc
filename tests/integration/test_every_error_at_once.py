"""Every form lists every problem at once: the error summary has one message per field that needs putting
right, in the form's order, each also shown beside its field, and nothing is saved. Services check the whole
form before refusing (app.common.errors.checked_together)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.action_plans.service import start_action_plan
from app.auth.accounts import set_password
from app.celebration.service import submit_celebration
from app.common import clock
from app.common.dates import academic_start_year
from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import current_framework, update_area
from app.meetings.service import When, schedule_peer_visit
from app.models import (
    Action,
    ClosureDay,
    InformationRequest,
    Learning,
    PeerVisit,
    ProgrammeEvent,
    ProgressUpdate,
    Role,
    Triad,
    TriadMeeting,
)
from app.people.service import check_invitation
from tests.celebrations import add_learning
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages

THIS_YEAR = academic_start_year(clock.today())


@pytest.fixture
def scene(session):
    programme = make_programme_with_framework()
    year = make_year(programme, start_year=THIS_YEAR)
    triad = make_triad(year)
    coach_school, school, _ = (m.school for m in triad.members)
    plan = start_action_plan(school, year)
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, triad=triad, plan=plan,
                           senco=make_user(Role.SENCO, school=school), coach=make_user(Role.SENCO, school=coach_school),
                           lead=make_user(Role.PROGRAMME_LEAD, programme=programme))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def field_errors(page) -> dict[str, str]:
    """Each message shown beside a field, by the id of the field it belongs to (its form group's first input)."""
    shown = {}
    for group in page.select(".govuk-form-group--error"):
        control = group.select_one("input:not([type=hidden]), textarea, select")
        message = group.select_one(".govuk-error-message")
        shown[control["name"]] = message.get_text(" ", strip=True).removeprefix("Error: ")
    return shown


def assert_listed_and_beside(page, expected: dict[str, str]) -> None:
    assert error_messages(page) == list(expected.values())
    assert field_errors(page) == expected
    for link in page.select(".govuk-error-summary__list a"):  # each leads to its field
        assert page.select_one(link["href"]) is not None, link


BLANK_ACTION = {"areas": [], "description": "", "owner": "", "owner_name": "", "due_on": ["", "", ""],
                "success_criteria": ""}


def test_a_blank_action_lists_all_five_problems_and_saves_nothing(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.post("action_plans.new_action", BLANK_ACTION, _expected_status=200, plan_id=scene.plan.id)
    assert_listed_and_beside(page, {
        "areas": "Choose at least one area the action addresses",
        "description": "Enter what will be done",
        "owner": "Choose who owns this action",
        "due_on": "Enter a due date",
        "success_criteria": "Enter the success criteria: how you will know the action has worked",
    })
    assert count(Action) == 0


def test_an_action_with_two_problems_lists_just_those_two_and_keeps_what_was_typed(client_request, scene):
    client_request.sign_in(scene.senco)
    area = current_framework(scene.programme).areas[1]
    page = client_request.post("action_plans.new_action", {
        **BLANK_ACTION, "areas": [str(area.id)], "description": "Train staff", "owner": "other",
        "due_on": ["31", "2", str(THIS_YEAR + 1)], "success_criteria": "All trained"},
        _expected_status=200, plan_id=scene.plan.id)
    assert error_messages(page) == ["Enter the name of the person who owns this action",
                                    "The due date must be a real date, for example 27 3 2026"]
    assert page.select_one("textarea[name=description]").get_text(strip=True) == "Train staff"
    assert count(Action) == 0


def test_a_progress_note_without_a_status_note_or_real_date_lists_all_three(client_request, scene):
    client_request.sign_in(scene.senco)
    client_request.post("action_plans.new_action", {
        "areas": [str(current_framework(scene.programme).areas[0].id)], "description": "Train staff",
        "owner": "other", "owner_name": "Jo Smith", "due_on": ["27", "3", str(THIS_YEAR + 1)],
        "success_criteria": "All trained"}, plan_id=scene.plan.id)
    page = client_request.post("action_plans.progress", {"status": "", "note": "", "noted_on": ["30", "2", "2026"]},
                               _expected_status=200, plan_id=scene.plan.id, number=1)
    assert error_messages(page) == ["Choose the action's status", "Enter a note about the progress",
                                    "The date must be a real date, for example 27 3 2026"]
    assert count(ProgressUpdate) == 0


def test_a_blank_learning_lists_every_problem(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.post("celebration.new_learning", {
        "title": "", "what_we_did": "", "impact": "", "next_steps": "", "areas": [], "impact_areas": []},
        _expected_status=200, triad_id=scene.triad.id)
    assert error_messages(page) == [
        "Enter a title for the learning", "Enter what you did", "Enter the impact you have seen",
        "Enter the next steps", "Choose at least one framework area the learning concerns",
        "Choose at least one area of impact the learning shows"]
    assert count(Learning) == 0


def test_tagging_without_either_signal_lists_both(client_request, scene):
    learning = add_learning(scene.triad)
    submit_celebration(scene.triad, scene.senco)
    db.session.commit()
    client_request.sign_in(scene.lead)
    page = client_request.post("celebration.tag", {}, _expected_status=200, learning_id=learning.id)
    assert error_messages(page) == ["Choose the strength of evidence", "Choose the breadth of impact"]


def test_a_blank_meeting_lists_the_date_time_length_and_place(client_request, scene):
    client_request.sign_in(scene.coach)
    page = client_request.post("scheduling.meeting", {
        "day": ["", "", ""], "time": "", "duration_minutes": "", "host_school_id": "", "place": "",
        "online_link": "", "agenda": ""}, _expected_status=200, triad_id=scene.triad.id, number=1)
    assert error_messages(page) == ["Enter a date", "Enter a start time, for example 9:30 or 14:00",
                                    "Enter how long it lasts, between 15 and 480 minutes",
                                    "Enter where the meeting is, or an online link"]
    assert count(TriadMeeting) == 0


def test_a_blank_programme_event_lists_every_problem(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("scheduling.event", {"day": ["", "", ""], "time": "", "duration_minutes": "",
                                                    "place": "", "details": ""},
                               _expected_status=200, year_id=scene.year.id, kind="launch")
    assert error_messages(page) == ["Enter a date", "Enter a start time, for example 9:30 or 14:00",
                                    "Enter how long it lasts, between 15 and 480 minutes",
                                    "Enter where the event is, or say it is online"]
    assert count(ProgrammeEvent) == 0


def test_a_blank_request_lists_its_title_details_and_days(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("requests.new", {"title": "", "details": "", "working_days": "0", "audience": "all"},
                               _expected_status=200, year_id=scene.year.id)
    assert error_messages(page) == ["Enter a title for the request", "Enter what you are asking schools for",
                                    "Enter the number of working days schools have, from 1 to 60"]
    assert count(InformationRequest) == 0


def test_a_closure_day_on_a_weekend_with_a_long_reason_lists_both(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("programmes.closure_days", {"day": ["7", "11", "2026"], "reason": "x" * 201},
                               _expected_status=200, programme_id=scene.programme.id)
    messages = error_messages(page)
    assert len(messages) == 2 and messages[0].endswith("is a weekend day, which deadlines already skip")
    assert messages[1].startswith("The reason must be")
    assert count(ClosureDay) == 0


def test_renaming_a_triad_to_a_taken_name_with_two_coaches_lists_both(client_request, scene):
    other = make_triad(scene.year)
    client_request.sign_in(scene.lead)
    members = [str(m.school_id) for m in scene.triad.members]
    page = client_request.post("programmes.edit_triad_details", {"name": other.name, "schools": members,
                                                                 "coach": members[:2]},
                               _expected_status=200, triad_id=scene.triad.id)
    assert error_messages(page) == [f"Another triad in {scene.year.label} is already called {other.name}",
                                    "Choose exactly one coach school"]
    db.session.expire_all()
    assert db.session.get(Triad, scene.triad.id).name != other.name


def test_a_scale_with_two_blank_labels_lists_both(client_request, scene):
    client_request.sign_in(scene.lead)
    scale = current_framework(scene.programme).scale
    data = {f"label_{level.value}": level.label for level in scale}
    data |= {f"description_{level.value}": level.description for level in scale}
    data |= {"label_1": "", "label_3": ""}
    page = client_request.post("frameworks.edit_scale", data, _expected_status=200, programme_id=scene.programme.id)
    assert error_messages(page) == ["Enter a label for level 1", "Enter a label for level 3"]
    db.session.expire_all()
    assert current_framework(scene.programme).scale[0].label == "Emerging"


# The same for the services behind the other forms: every problem in one refusal.


def problems_of(refused) -> list[tuple[str | None, str]]:
    return [(problem.field, problem.message) for problem in refused.value.problems]


def test_a_new_password_too_short_and_not_matching_is_refused_for_both(scene):
    with pytest.raises(DomainError) as refused:
        set_password(scene.senco, "short", "shorter")
    assert [field for field, _ in problems_of(refused)] == ["password", "confirm"]


def test_an_invitation_with_no_role_a_bad_email_and_no_name_is_refused_for_all_three(scene):
    with pytest.raises(DomainError) as refused:
        check_invitation(scene.plan.school, "not an email", "  ", Role.PROGRAMME_LEAD, scene.lead)
    assert [field for field, _ in problems_of(refused)] == ["role", "email", "name"]


def test_a_peer_visit_with_no_date_time_length_or_focus_is_refused_for_all_four(scene):
    visited = scene.triad.members[1].school
    with pytest.raises(DomainError) as refused:
        schedule_peer_visit(scene.triad, visited, When(None, False, ""), None, None)
    assert [field for field, _ in problems_of(refused)] == ["day", "time", "duration_minutes", "focus_area_id"]
    assert count(PeerVisit) == 0


def test_an_area_with_no_description_or_prompts_is_refused_for_all_three(scene):
    with pytest.raises(DomainError) as refused:
        update_area(scene.programme, 1, "", [], [""])
    assert [field for field, _ in problems_of(refused)] == ["description", "mainstream", "specialist"]
