"""Signing in, invitations, password resets, rate limits and idle sessions."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from app.auth.accounts import invite_user
from app.extensions import db
from app.models import OutboxEmail, Role, SignInAttempt, User
from tests.factories import PASSWORD, make_school, make_user
from tests.pages import error_messages, text_of

NEW_PASSWORD = "a brand new long passphrase"


def sign_in(client_request, email, password, expected_status=200, **query):
    return client_request.post("auth.sign_in", {"email": email, "password": password},
                               _expected_status=expected_status, **query)


def last_link(to_address: str) -> str:
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to_address == to_address).order_by(OutboxEmail.created_at.desc())
    )
    assert email is not None, f"no email to {to_address}"
    match = re.search(r"http://localhost(/\S+)", email.body)
    assert match, email.body
    return match.group(1)


def test_signing_in_with_the_right_password_opens_the_home_page(client_request):
    user = make_user(name="Priya Shah")
    response = sign_in(client_request, f"  {user.email.upper()} ", PASSWORD, expected_status=302)
    assert response.headers["Location"] == "/"
    assert "Hello, Priya Shah" in text_of(client_request.get("main.home"))


def test_sign_in_follows_only_local_next_addresses(client_request):
    user = make_user()
    response = sign_in(client_request, user.email, PASSWORD, expected_status=302, next="https://evil.example/")
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_give_the_same_message(client_request):
    user = make_user()
    wrong_password = sign_in(client_request, user.email, "not the password")
    unknown_email = sign_in(client_request, "nobody@example.org", PASSWORD)
    assert error_messages(wrong_password) == ["Enter a correct email address and password"]
    assert error_messages(unknown_email) == error_messages(wrong_password)


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(client_request):
    user = make_user()
    for _ in range(5):
        sign_in(client_request, user.email, "wrong password")
    assert db.session.scalar(select(func.count()).select_from(SignInAttempt)) == 5
    page = sign_in(client_request, user.email, PASSWORD)
    assert error_messages(page) == ["Too many attempts to sign in. Wait 15 minutes and try again."]


def test_a_form_posted_without_its_csrf_token_is_refused(client):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_signing_out_ends_the_session(client_request):
    user = make_user()
    client_request.sign_in(user)
    client_request.post("auth.sign_out", _form_endpoint="main.home")
    assert client_request.client.get("/").status_code == 302


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client_request, app):
    user = make_user()
    client_request.sign_in(user)
    with client_request.client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - (app.config["SESSION_IDLE_MINUTES"] * 60 + 5)
    response = client_request.client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client_request.get("auth.sign_in")
    assert "You were signed out because you had not used the service for a while" in text_of(page)


def test_an_invited_person_sets_a_password_once_and_is_signed_in(client_request):
    lead = make_user()
    school = make_school(name="Alder Grove Primary")
    invite_user(email="New.Senco@Example.org", name="Sam Jones", role=Role.SENCO, invited_by=lead, school=school)
    db.session.commit()
    link = last_link("new.senco@example.org")
    page = client_request.get_url(link)
    assert "Welcome to SEND Triads, Sam Jones" in text_of(page)

    token = link.rsplit("/", 1)[1]
    response = client_request.post("auth.accept_invite", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                                   token=token)
    assert response.headers["Location"] == "/"
    assert "Alder Grove Primary" in text_of(client_request.get("main.home"))

    client_request.client.post("/sign-out", data={"csrf_token": client_request.csrf_token("main.home")})
    assert "already been used" in text_of(client_request.get_url(link, _expected_status=400))


def test_a_short_password_is_refused_and_nothing_changes(client_request):
    lead = make_user()
    invite_user(email="short@example.org", name="Sam Jones", role=Role.HEAD, invited_by=lead, school=make_school())
    db.session.commit()
    token = last_link("short@example.org").rsplit("/", 1)[1]
    page = client_request.post("auth.accept_invite", {"password": "short", "confirm": "short"},
                               _expected_status=200, token=token)
    assert error_messages(page) == ["Password must be 12 characters or more"]
    assert db.session.scalar(select(User.password_hash).where(User.email == "short@example.org")) is None


def test_an_expired_invitation_link_is_refused(client_request, monkeypatch, app):
    lead = make_user()
    past = time.time() - (app.config["INVITE_TOKEN_HOURS"] * 3600 + 60)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: past)
    invite_user(email="late@example.org", name="Lee Late", role=Role.HEAD, invited_by=lead, school=make_school())
    db.session.commit()
    monkeypatch.undo()
    page = client_request.get_url(last_link("late@example.org"), _expected_status=400)
    assert "This link has expired" in text_of(page)


def test_inviting_someone_twice_to_the_same_role_is_refused(session):
    from app.common.errors import DomainError

    lead, school = make_user(), make_school()
    invite_user(email="twice@example.org", name="Tao Twice", role=Role.HEAD, invited_by=lead, school=school)
    with pytest.raises(DomainError, match="already a Headteacher"):
        invite_user(email="twice@example.org", name="Tao Twice", role=Role.HEAD, invited_by=lead, school=school)


def test_forgotten_password_answers_the_same_for_unknown_addresses(client_request):
    before = db.session.scalar(select(func.count()).select_from(OutboxEmail))
    response = client_request.post("auth.forgot_password", {"email": "nobody@example.org"})
    assert response.headers["Location"].endswith("/forgot-password/check-your-email")
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == before


def test_a_reset_link_changes_the_password(client_request):
    user = make_user()
    response = client_request.post("auth.forgot_password", {"email": user.email})
    assert response.headers["Location"].endswith("/forgot-password/check-your-email")
    token = last_link(user.email).rsplit("/", 1)[1]
    client_request.post("auth.reset_password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token=token)
    client_request.client.post("/sign-out", data={"csrf_token": client_request.csrf_token("main.home")})
    assert error_messages(sign_in(client_request, user.email, PASSWORD)) == [
        "Enter a correct email address and password"]
    assert sign_in(client_request, user.email, NEW_PASSWORD, expected_status=302).headers["Location"] == "/"


def test_passwords_are_stored_hashed(session):
    user = make_user()
    assert user.password_hash and PASSWORD not in user.password_hash
