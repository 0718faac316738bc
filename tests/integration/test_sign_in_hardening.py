"""Sign-in and sessions that hold up when probed: only local `next` paths, signing out ends a copied
cookie too, sessions have an end, the limits hold under parallel guesses, and forwarded headers
are trusted only when PROXY_COUNT says so."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import OutboxEmail, PasswordResetRequest, SignInAttempt, UserSession
from tests.databases import migrated_app
from tests.factories import PASSWORD, make_user
from tests.pages import error_messages


def sign_in(client_request, email, password, expected_status=200, **query):
    return client_request.post("auth.sign_in", {"email": email, "password": password},
                               _expected_status=expected_status, **query)


@pytest.mark.parametrize("next_value", ["/\t/evil.example", "/\n/x", "/\r\n/x", "//evil.example", "/\\evil.example",
                                        "https://evil.example/", "/ /evil.example", "javascript:alert(1)"])
def test_sign_in_sends_anywhere_but_a_local_path_home(client_request, next_value):
    user = make_user()
    response = sign_in(client_request, user.email, PASSWORD, expected_status=302, next=next_value)
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_local_path_with_its_query(client_request):
    user = make_user()
    response = sign_in(client_request, user.email, PASSWORD, expected_status=302, next="/programmes?page=2")
    assert response.headers["Location"] == "/programmes?page=2"


def _copied_cookie(client) -> str:
    return client.get_cookie("send_triads_session").value


def test_signing_out_ends_the_session_for_a_copied_cookie_too(client_request):
    user = make_user()
    sign_in(client_request, user.email, PASSWORD, expected_status=302)
    client = client_request.client
    copied = _copied_cookie(client)
    assert client.get("/").status_code == 200
    client_request.post("auth.sign_out", _form_endpoint="main.home")
    client.set_cookie("send_triads_session", copied)
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert db.session.scalar(select(UserSession.ended_at).where(UserSession.user_id == user.id)) is not None


def test_a_session_in_use_still_ends_after_the_longest_session(app, client_request):
    user = make_user()
    sign_in(client_request, user.email, PASSWORD, expected_status=302)
    assert client_request.client.get("/").status_code == 200
    started = datetime.now(timezone.utc) - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(started_at=started))
    db.session.commit()
    response = client_request.client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_forgot_password_has_a_limit_per_address(app, client_request):
    limit = app.config["SIGN_IN_MAX_FAILURES"] * 10
    for n in range(limit):
        client_request.post("auth.forgot_password", {"email": f"someone-{n}@example.org"})
    page = client_request.post("auth.forgot_password", {"email": "one-more@example.org"}, _expected_status=200)
    assert error_messages(page) == ["You have asked for too many links. Wait 15 minutes and try again."]
    assert db.session.scalar(select(func.count()).select_from(PasswordResetRequest)) == limit


def test_forgot_password_has_a_limit_per_email(app, client_request):
    user = make_user()
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        client_request.post("auth.forgot_password", {"email": user.email})
    sent = db.session.scalar(select(func.count()).select_from(OutboxEmail).where(OutboxEmail.to_address == user.email))
    page = client_request.post("auth.forgot_password", {"email": user.email}, _expected_status=200)
    assert error_messages(page) == ["You have asked for too many links. Wait 15 minutes and try again."]
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.to_address == user.email)) == sent


def test_forwarded_for_is_not_trusted_by_default(client_request):
    client_request.client.post(client_request.url("auth.sign_in"),
                               data={"csrf_token": client_request.csrf_token("auth.sign_in"),
                                     "email": "nobody@example.org", "password": "wrong"},
                               headers={"X-Forwarded-For": "6.6.6.6"}, environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert db.session.scalar(select(SignInAttempt.remote_addr)) == "127.0.0.9"


def test_forwarded_for_is_trusted_from_as_many_proxies_as_proxy_count_says(database_url):
    from app import create_app
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROXY_COUNT=1)

    @app.get("/_test/address")
    def address():
        from flask import request
        return request.remote_addr or ""

    reply = app.test_client().get("/_test/address", headers={"X-Forwarded-For": "203.0.113.7"})
    assert reply.get_data(as_text=True) == "203.0.113.7"


def test_thirty_wrong_passwords_at_once_are_checked_no_more_than_the_limit():
    """Thirty threads post a wrong password at the same moment, each its own request and database
    connection: exactly five are checked, the rest are told to wait."""
    pool = {"pool_size": 30, "max_overflow": 5, "pool_timeout": 60}
    with migrated_app("sign_in_race", SQLALCHEMY_ENGINE_OPTIONS=pool) as app:
        with app.app_context():
            email = make_user().email
            db.session.remove()
        start = threading.Barrier(30)
        answers: list[str] = []

        def guess() -> None:
            client = app.test_client()
            form = BeautifulSoup(client.get("/sign-in").get_data(as_text=True), "html.parser")
            token = form.select_one("input[name=csrf_token]")["value"]
            start.wait()
            reply = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": "wrong guess"})
            answers.append(reply.get_data(as_text=True))

        threads = [threading.Thread(target=guess) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with app.app_context():
            recorded = db.session.scalar(select(func.count()).select_from(SignInAttempt))
    checked = sum("Enter a correct email address and password" in answer for answer in answers)
    refused = sum("Too many attempts to sign in" in answer for answer in answers)
    assert (checked, refused, recorded) == (5, 25, 5)
