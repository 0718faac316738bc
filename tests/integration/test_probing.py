"""What probing the service over HTTP found: control characters, error pages after a database
error, answers the administrator may not read, URLs naming records that do not belong together,
and email links that follow the port `make run` serves on."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import abort
from sqlalchemy import func, select, text

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.information_requests.service import answer_request, create_request
from app.models import AreaRating, AuditEvent, Role
from app.permissions import PUBLIC, requires
from app.self_evaluations.service import start_self_evaluation
from config import BASE_DIR
from tests.factories import make_triad, make_user

NUL = "\x00"
REFUSED = "What you sent contains characters we cannot accept"


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_in_the_sign_in_form_is_refused_with_a_message(client_request, field):
    data = {"email": "head@example.org", "password": "a password", field: f"bad{NUL}value"}
    response = client_request.post("auth.sign_in", data, _expected_status=400)
    assert REFUSED in response.get_text()


def test_a_nul_byte_in_forgot_password_is_refused_with_a_message(client_request):
    response = client_request.post("auth.forgot_password", {"email": f"a{NUL}@example.org"}, _expected_status=400)
    assert REFUSED in response.get_text()


def test_a_nul_byte_in_a_search_is_refused_with_a_message(client_request):
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get_url(f"/admin/people?search=a{NUL}b", _expected_status=400)
    assert REFUSED in page.get_text()


def test_a_nul_byte_in_the_practice_library_search_is_refused(client_request):
    triad = make_triad()
    create_default_framework(triad.year.programme)
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=triad.year.programme))
    page = client_request.get_url(f"/programmes/{triad.year.programme_id}/practice-library?q=x%00y",
                                  _expected_status=400)
    assert REFUSED in page.get_text()


def test_a_nul_byte_in_a_self_evaluation_area_saves_nothing(client_request):
    triad = make_triad()
    create_default_framework(triad.year.programme)
    school = triad.members[1].school
    evaluation = start_self_evaluation(school, triad.year)
    db.session.commit()
    client_request.sign_in(make_user(Role.SENCO, school=school))
    before = _audit_count()
    page = client_request.post("self_evaluations.area",
                               {"version": "1", "level": "3", "evidence": f"Seen{NUL} in class",
                                "not_evaluated_reason": "", "strengths": "", "development": ""},
                               _expected_status=400, evaluation_id=evaluation.id, position=1)
    assert REFUSED in page.get_text()
    assert _audit_count() == before
    assert db.session.scalar(select(AreaRating.evidence).where(AreaRating.self_evaluation_id == evaluation.id)
                             .limit(1)) in ("", None)


def test_tabs_and_new_lines_in_text_are_still_accepted(client_request):
    user = make_user()
    response = client_request.post("auth.sign_in", {"email": user.email, "password": "wrong\tpass\r\nword"},
                                   _expected_status=200)
    assert REFUSED not in response.get_text()


def test_the_error_page_after_a_database_error_starts_from_a_clean_transaction(database_url):
    """A statement the database refuses leaves PostgreSQL's transaction aborted; the error handler rolls
    it back, so the error page (and anything it loads) works."""
    from app import create_app
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)
    afterwards: list[object] = []

    @app.get("/_test/refused-statement")
    @requires(PUBLIC)
    def refused_statement():
        db.session.execute(text("SELECT no_such_column FROM user_account"))
        abort(500)

    @app.after_request
    def query_after_the_error(response):
        afterwards.append(db.session.scalar(text("SELECT 1")))
        return response

    response = app.test_client().get("/_test/refused-statement")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert afterwards == [1]


def _answered_request(admin_issues: bool):
    triad = make_triad()
    year = triad.year
    school = triad.members[0].school
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    admin = make_user(Role.ADMIN)
    request = create_request(year, admin if admin_issues else lead, "Numbers", "How many?", 10)
    recipient = next(r for r in request.recipients if r.school_id == school.id)
    answer_request(recipient, make_user(Role.HEAD, school=school), "Fourteen", ("n.txt", "text/plain", b"14"))
    db.session.commit()
    return request, recipient, admin, lead


def test_the_administrator_cannot_read_information_request_answers(client_request):
    request, recipient, admin, lead = _answered_request(admin_issues=False)
    client_request.sign_in(admin)
    client_request.get("requests.show", _expected_status=403, request_id=request.id)
    client_request.get("requests.responses", _expected_status=403, request_id=request.id)
    client_request.get("requests.file", _expected_status=403, recipient_id=recipient.id)
    client_request.sign_in(lead)
    assert "Fourteen" in client_request.get("requests.show", request_id=request.id).get_text()


def test_the_coach_of_another_triad_cannot_book_a_visit_to_this_triads_school(client_request):
    triad_a = make_triad()
    triad_b = make_triad(triad_a.year)
    create_default_framework(triad_a.year.programme)
    coach_b = make_user(Role.HEAD, school=triad_b.members[0].school)
    client_request.sign_in(coach_b)
    school_of_a = triad_a.members[1].school
    client_request.get("scheduling.peer_visit", _expected_status=404, triad_id=triad_b.id, school_id=school_of_a.id)
    token = client_request.csrf_token("scheduling.peer_visit", triad_id=triad_b.id,
                                      school_id=triad_b.members[1].school_id)
    response = client_request.client.post(
        client_request.url("scheduling.peer_visit", triad_id=triad_b.id, school_id=school_of_a.id),
        data={"csrf_token": token})
    assert response.status_code == 404


def test_a_year_and_a_school_that_is_not_enrolled_in_it_are_not_found(client_request):
    triad = make_triad()
    other_year_triad = make_triad()
    lead = make_user(Role.PROGRAMME_LEAD, programme=triad.year.programme)
    client_request.sign_in(lead)
    client_request.get("scheduling.qa_visit", _expected_status=404, year_id=triad.year_id,
                       school_id=other_year_triad.members[0].school_id)


def test_a_route_naming_two_kinds_of_record_needs_a_rule_that_ties_them():
    with pytest.raises(KeyError, match="belong together"):
        requires("triad.view", triad="triad_id", cluster="cluster_id")


def test_every_record_a_url_names_is_loaded_and_checked_by_requires(app):
    """Ids the decorator does not load must be checked by the service against the loaded record."""
    checked_by_the_service = {"closure_day_id", "user_id", "assignment_id"}
    unchecked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        loaded = set(getattr(view, "loads", {}).values())
        for name in rule.arguments:
            if name.endswith("_id") and name not in loaded and name not in checked_by_the_service:
                unchecked.append(f"{rule.rule}: {name}")
    assert unchecked == []


def test_email_links_follow_the_port_make_run_serves_on():
    env = {key: value for key, value in os.environ.items() if key not in ("SERVICE_URL", "PORT")}
    answer = subprocess.run([sys.executable, "-c",
                             "from config import DevelopmentConfig; print(DevelopmentConfig.SERVICE_URL)"],
                            cwd=BASE_DIR, env={**env, "PORT": "8000"}, capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "http://127.0.0.1:8000"
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "\nexport PORT\n" in makefile


def test_a_value_the_database_refuses_gets_a_message_not_a_500(database_url):
    from sqlalchemy.exc import DataError

    from app import create_app
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @app.post("/_test/too-long")
    @requires(PUBLIC)
    def too_long():
        raise DataError("INSERT ...", {}, Exception("value too long for type character varying(120)"))

    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/_test/too-long")
    assert response.status_code == 400
    assert "Something you entered could not be saved" in response.get_data(as_text=True)


def test_a_megabyte_email_on_the_sign_in_form_is_just_a_wrong_address(client_request):
    page = client_request.post("auth.sign_in", {"email": "a" * 1_000_000 + "@example.org", "password": "x"},
                               _expected_status=200)
    assert "Enter a correct email address and password" in page.get_text()
