"""Security headers, cookies and the settings production refuses to start without."""
from __future__ import annotations

import re

import pytest

from app import create_app
from config import Config, ConfigError
from tests.factories import make_user


def test_every_response_has_a_strict_content_security_policy(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    html = response.get_data(as_text=True)
    assert html.count("<script") == html.count(f'nonce="{nonce}"') >= 1
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_have_the_security_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_an_unexpected_error_shows_the_500_page(app, client):
    original = app.view_functions["main.healthz"]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.view_functions["main.healthz"] = lambda: 1 / 0
    try:
        response = client.get("/healthz")
    finally:
        app.view_functions["main.healthz"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key():
    class NoSecret(Config):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app(NoSecret)


def test_production_refuses_to_start_without_a_database_url():
    class NoDatabase(Config):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = None

    with pytest.raises(ConfigError, match="DATABASE_URL is not set"):
        create_app(NoDatabase)


def test_production_cookies_are_secure_httponly_and_samesite(database_url):
    class Production(Config):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Production)
    client = app.test_client()
    assert client.get("http://localhost/sign-in").status_code == 302  # plain HTTP goes to HTTPS
    response = client.get("https://localhost/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_signed_in_pages_are_not_cached(client_request):
    client_request.sign_in(make_user())
    response = client_request.client.get("/")
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_is_unreachable():
    class Unreachable(Config):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody@127.0.0.1:1/none"
        FORCE_HTTPS = False

    app = create_app(Unreachable)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
