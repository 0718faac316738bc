"""A form posted after its session ended is kept, and saved once the same person signs in again in the same
browser; someone else signing in there never gets it. "Stay signed in" keeps a session going, and the
timeout warning carries the limits its script counts from."""
from __future__ import annotations

import time
import uuid
from datetime import time as clock_time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.auth.kept_forms import KEPT_FOR, SESSION_KEY
from app.auth.sign_in import end_session
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.meetings.service import london_time
from app.models import AuditEvent, KeptForm, PeerVisit, Role
from tests.factories import PASSWORD, make_programme, make_triad, make_user, make_year
from tests.pages import text_of

TODAY = clock.today()
NOTES = {"strengths": "Calm classrooms.\nEvery referral is known.", "questions": "How is the checklist used?",
         "next_steps": "Share the referral flowchart"}
KEPT_BANNER = "You were signed out before we could save your changes. Sign in to save them."


@pytest.fixture
def scene(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=TODAY.year if TODAY.month >= 9 else TODAY.year - 1)
    triad = make_triad(year)
    coach_school, visited, _ = (m.school for m in triad.members)
    visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, starts_at=london_time(TODAY, clock_time(9)),
                      focus_area_id=current_framework(programme).areas[0].id)
    db.session.add(visit)
    scene = SimpleNamespace(visit=visit, coach=make_user(Role.SENCO, school=coach_school, name="Cora Coach"),
                            other_coach=make_user(Role.HEAD, school=coach_school, name="Hal Head"))
    db.session.commit()
    return scene


def _notes_page(client_request, visit) -> dict[str, str]:
    """The notes form as the page shows it: its hidden fields (the CSRF token among them) and the notes typed."""
    page = client_request.get("scheduling.visit_notes", visit_id=visit.id)
    form = page.select_one("main form[method=post]")
    return {**{field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}, **NOTES}


def _go_idle(client, app) -> None:
    limit = app.config["SESSION_IDLE_SECONDS"] or app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - limit - 5


def _kept_after_idle(client_request, app, scene):
    """The coach opens the notes form, leaves it too long, then selects Save notes."""
    client_request.sign_in(scene.coach)
    fields = _notes_page(client_request, scene.visit)
    _go_idle(client_request.client, app)
    return client_request.client.post(client_request.url("scheduling.visit_notes", visit_id=scene.visit.id),
                                      data=fields)


def _sign_in(client_request, user):
    return client_request.post("auth.sign_in", {"email": user.email, "password": PASSWORD})


def _post_kept_page(client_request, page: BeautifulSoup):
    """Select "Save your changes", as the browser (or the page's script) does."""
    form = page.select_one("form[data-kept-form]")
    data = [(field["name"], field.get("value", "")) for field in form.select("input[name]")]
    return client_request.client.post(form["action"], data=MultiDict(data))


def _notes_of(visit) -> dict[str, str]:
    db.session.expire_all()
    saved = db.session.get(PeerVisit, visit.id)
    return {"strengths": saved.strengths, "questions": saved.questions, "next_steps": saved.next_steps}


def _kept_count() -> int:
    return db.session.scalar(select(func.count()).select_from(KeptForm))


def test_notes_posted_after_the_idle_limit_are_kept_and_saved_once_their_writer_signs_in(client_request, app, scene):
    response = _kept_after_idle(client_request, app, scene)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert _notes_of(scene.visit) == {"strengths": "", "questions": "", "next_steps": ""}  # nothing saved yet
    assert _kept_count() == 1
    assert not db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.entity_type == "KeptForm"))  # its text is in no trail

    sign_in_page = client_request.get("auth.sign_in")
    assert KEPT_BANNER in text_of(sign_in_page)
    assert "Sign in to continue" not in text_of(sign_in_page)
    assert _sign_in(client_request, scene.coach).headers["Location"] == "/kept-form"

    page = client_request.get("auth.kept_form")
    assert page.select_one("h1").get_text(strip=True) == "Saving your changes"
    assert page.select_one("form[data-kept-form]")["action"] == f"/peer-visits/{scene.visit.id}/notes"
    saved = _post_kept_page(client_request, page)
    assert saved.status_code == 302 and saved.headers["Location"] == f"/peer-visits/{scene.visit.id}"
    assert _notes_of(scene.visit) == NOTES
    assert _kept_count() == 0
    assert "There are no changes to save" in text_of(client_request.get("auth.kept_form"))


def test_someone_else_signing_in_in_that_browser_does_not_get_the_kept_form(client_request, app, scene):
    _kept_after_idle(client_request, app, scene)
    response = _sign_in(client_request, scene.other_coach)
    assert response.headers["Location"] == "/"
    assert _kept_count() == 0
    assert "There are no changes to save" in text_of(client_request.get("auth.kept_form"))
    with client_request.client.session_transaction() as flask_session:
        assert SESSION_KEY not in flask_session
    assert _notes_of(scene.visit)["strengths"] == ""


def test_a_form_posted_after_the_session_was_ended_elsewhere_is_kept(client_request, scene):
    client_request.sign_in(scene.coach)
    fields = _notes_page(client_request, scene.visit)
    with client_request.client.session_transaction() as flask_session:
        end_session(uuid.UUID(flask_session["sid"]))  # signed out on another device, say
    db.session.commit()
    response = client_request.client.post(f"/peer-visits/{scene.visit.id}/notes", data=fields)
    assert response.headers["Location"] == "/sign-in"
    assert _sign_in(client_request, scene.coach).headers["Location"] == "/kept-form"
    _post_kept_page(client_request, client_request.get("auth.kept_form"))
    assert _notes_of(scene.visit) == NOTES


def test_an_autosave_after_the_limit_is_told_in_json_and_the_form_posted_after_it_is_still_kept(
        client_request, app, scene):
    client_request.sign_in(scene.coach)
    fields = _notes_page(client_request, scene.visit)
    _go_idle(client_request.client, app)
    url = f"/peer-visits/{scene.visit.id}/notes"
    autosave = client_request.client.post(url, data=fields, headers={"Accept": "application/json"})
    assert autosave.status_code == 401
    assert autosave.json == {"message": "You have been signed out. Select a Save button to keep your changes."}
    assert _kept_count() == 0
    # The page's CSRF token outlives the session, so its Save button's post is kept, not refused.
    assert client_request.client.post(url, data=fields).headers["Location"] == "/sign-in"
    assert _kept_count() == 1


def test_a_form_is_not_kept_without_someone_who_was_signed_in_or_when_it_is_too_big(client_request, app, scene):
    url = f"/peer-visits/{scene.visit.id}/notes"
    token = client_request.csrf_token("auth.sign_in")
    anonymous = client_request.client.post(url, data={"csrf_token": token, **NOTES})
    assert anonymous.headers["Location"].startswith("/sign-in?next=")
    assert _kept_count() == 0

    client_request.sign_in(scene.coach)
    fields = _notes_page(client_request, scene.visit)
    _go_idle(client_request.client, app)
    too_big = client_request.client.post(url, data={**fields, "strengths": "x" * 1_000_001})
    assert too_big.headers["Location"].startswith("/sign-in?next=")
    assert _kept_count() == 0
    assert KEPT_BANNER not in text_of(client_request.get("auth.sign_in"))


def test_signing_out_deletes_a_kept_form_not_yet_saved(client_request, app, scene):
    _kept_after_idle(client_request, app, scene)
    _sign_in(client_request, scene.coach)
    client_request.post("auth.sign_out", _form_endpoint="auth.kept_form")
    assert _kept_count() == 0


def test_a_kept_form_older_than_a_day_is_not_saved(client_request, app, scene):
    _kept_after_idle(client_request, app, scene)
    with clock.frozen_at(clock.now() + KEPT_FOR + timedelta(minutes=1)):
        assert _sign_in(client_request, scene.coach).headers["Location"] == "/"
    assert _notes_of(scene.visit)["strengths"] == ""


def test_stay_signed_in_answers_204_and_restarts_the_idle_limit(client_request, app, scene, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_SECONDS", 60)
    client_request.sign_in(scene.coach)
    with client_request.client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 50
    token = client_request.csrf_token("main.home")
    stay = client_request.client.post("/session/keep-alive", data={"csrf_token": token},
                                      headers={"Accept": "application/json"})
    assert stay.status_code == 204 and stay.data == b""
    with client_request.client.session_transaction() as flask_session:
        assert time.time() - flask_session["seen_at"] < 5
        flask_session["seen_at"] = time.time() - 61
    late = client_request.client.post("/session/keep-alive", data={"csrf_token": token},
                                      headers={"Accept": "application/json"})
    assert late.status_code == 401
    assert _kept_count() == 0


def test_signed_in_pages_carry_the_timeout_warning_with_the_limits(client_request, app, scene, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_WARNING_SECONDS", 90)
    client_request.sign_in(scene.coach)
    dialog = client_request.get("main.home").select_one("dialog[data-timeout-warning]")
    assert dialog["data-idle-seconds"] == str(app.config["SESSION_IDLE_MINUTES"] * 60)
    assert dialog["data-warning-seconds"] == "90"
    assert dialog["aria-labelledby"] == "timeout-warning-title" and dialog["aria-describedby"] == "timeout-warning-text"
    assert " ".join(dialog.get_text().split()).startswith(
        "You’re about to be signed out For your security, we will sign you out in 2 minutes.")
    monkeypatch.setitem(app.config, "SESSION_IDLE_SECONDS", 20)
    page = client_request.get("main.home")
    assert page.select_one("dialog[data-timeout-warning]")["data-idle-seconds"] == "20"
    client_request.client.post("/sign-out", data={"csrf_token": client_request.csrf_token("main.home")})
    assert client_request.get("auth.sign_in").select_one("dialog") is None


def test_a_session_idle_for_longer_than_idle_seconds_is_signed_out(client_request, app, scene, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_SECONDS", 20)
    client_request.sign_in(scene.coach)
    with client_request.client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 15
    assert client_request.client.get("/").status_code == 200
    with client_request.client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 21
    assert client_request.client.get("/").headers["Location"].startswith("/sign-in")
