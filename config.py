"""Configuration, read from the environment only here. Unset means production-safe."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """A setting the app cannot run without is missing or unsafe."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production settings. Development and testing loosen them explicitly."""

    ENVIRONMENT = "production"
    DEBUG = False
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Cookies: secure, HttpOnly, SameSite outside development.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "send_triads_session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    # Sessions end after this much inactivity (the server checks it on every request). SESSION_IDLE_SECONDS,
    # when set, gives the limit in seconds instead (the browser tests use a few).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_IDLE_SECONDS = int(os.environ["SESSION_IDLE_SECONDS"]) if os.environ.get("SESSION_IDLE_SECONDS") else None
    # The timeout warning opens this long before an idle session ends.
    SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120"))
    # However often it is used, a signed-in session ends this long after signing in.
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    # The cookie outlives the idle limit (which the server enforces), so a form posted just after a session
    # ended still carries its CSRF token and can be kept until its writer signs in again.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS)
    SESSION_REFRESH_EACH_REQUEST = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds it
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)
    # Sign-in rate limit: this many failures per email or per address in the window.
    SIGN_IN_MAX_FAILURES = int(os.environ.get("SIGN_IN_MAX_FAILURES", "5"))
    SIGN_IN_WINDOW_MINUTES = int(os.environ.get("SIGN_IN_WINDOW_MINUTES", "15"))
    INVITE_TOKEN_HOURS = int(os.environ.get("INVITE_TOKEN_HOURS", str(24 * 7)))
    RESET_TOKEN_HOURS = int(os.environ.get("RESET_TOKEN_HOURS", "2"))
    # Links in emails are built from this address.
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: email stays in the outbox table
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "SEND Triads <no-reply@send-triads.invalid>")
    # Reminders go out this many days before each meeting and visit.
    REMINDER_DAYS = int(os.environ.get("REMINDER_DAYS", "2"))
    # Chasers go this many working days before and after each programme deadline, to whoever has not done it.
    DEADLINE_CHASE_BEFORE_DAYS = int(os.environ.get("DEADLINE_CHASE_BEFORE_DAYS", "5"))
    DEADLINE_CHASE_AFTER_DAYS = int(os.environ.get("DEADLINE_CHASE_AFTER_DAYS", "2"))
    # A celebration pack for more triads than this is prepared by the scheduler, not in the request.
    PACK_INLINE_TRIADS = int(os.environ.get("PACK_INLINE_TRIADS", "30"))
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Counted per request when set; the tests read it.
    RECORD_QUERIES = False
    # The header's count of tasks to do is kept in the session this long between home page visits (0: worked
    # out on every page, as the tests do, so a page's statements do not depend on what came before it).
    TASK_COUNT_SECONDS = int(os.environ.get("TASK_COUNT_SECONDS", "120"))
    # Who runs the service and how people reach them: the phase banner's feedback link, the help page, the
    # privacy notice (the controller) and the accessibility statement. The defaults are the demo's council.
    SERVICE_OWNER = os.environ.get("SERVICE_OWNER", "Northbrook Borough Council")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "send.triads@northbrook.example")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "01632 960 000")
    CONTACT_HOURS = os.environ.get("CONTACT_HOURS", "Monday to Friday, 9am to 5pm, except bank holidays")
    # How many proxies in front of the app set X-Forwarded-* (behind one proxy: 1). None is trusted
    # unless this says so, or anyone could choose the address the sign-in limit counts.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    @classmethod
    def check(cls) -> None:
        """Refuse to start with settings that would be unsafe in production."""
        if not cls.SECRET_KEY or len(cls.SECRET_KEY) < 16:
            raise ConfigError(
                "SECRET_KEY is not set (or shorter than 16 characters). "
                "Set it in the environment, for example: export SECRET_KEY=$(python -c "
                "'import secrets; print(secrets.token_hex(32))')"
            )
        if not cls.SQLALCHEMY_DATABASE_URI:
            raise ConfigError(
                "DATABASE_URL is not set. Example: "
                "postgresql+psycopg://user:password@host/send_triads"
            )


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, plain-HTTP cookies, outbox email."""

    ENVIRONMENT = "development"
    DEBUG = _bool("FLASK_DEBUG", False)
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{BASE_DIR / 'instance' / 'send_triads.sqlite'}"
    )
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    FORCE_HTTPS = False
    # `PORT=8000 make run` serves on 8000, so links in emails point there too.
    SERVICE_URL = os.environ.get("SERVICE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '5000'}"

    @classmethod
    def check(cls) -> None:
        return None


class TestingConfig(DevelopmentConfig):
    """pytest: the database URL is given by the test fixtures."""

    ENVIRONMENT = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret-0123456789"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = True
    RECORD_QUERIES = True
    TASK_COUNT_SECONDS = 0
    SERVICE_URL = "http://localhost"
    MAIL_SERVER = None


def config_for(name: str | None) -> type[Config]:
    """Pick the settings class named by APP_ENV (production when unset)."""
    name = (name or os.environ.get("APP_ENV") or "production").lower()
    classes: dict[str, type[Config]] = {
        "production": Config,
        "development": DevelopmentConfig,
        "testing": TestingConfig,
    }
    if name not in classes:
        raise ConfigError(f"APP_ENV must be one of {', '.join(classes)}, not {name!r}")
    return classes[name]
