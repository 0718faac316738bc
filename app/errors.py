"""Every HTTP error is shown through one handler, as a page in the house style."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

PAGES = {403, 404, 500}


def _discard_the_failed_work() -> None:
    """Whatever failed may have left the session in a broken transaction; the error page (which
    loads the signed-in user) starts clean, and nothing the request half-did is kept."""
    try:
        db.session.rollback()
    except Exception:  # the database itself is down: the page below does not need it
        log.exception("Rolling back after an error failed")


@bp.app_errorhandler(CSRFError)
def form_expired(error: CSRFError):
    _discard_the_failed_work()
    return render_template("errors/csrf.html"), 400


@bp.app_errorhandler(DataError)
def value_the_database_refused(error: DataError):
    """A value no form check caught, that the database will not hold (too long for its column, say):
    a message, not a 500, and nothing saved. Every form should refuse it first, by name."""
    _discard_the_failed_work()
    log.warning("The database refused a value: %s", error.orig)
    return render_template("errors/value_refused.html"), 400


@bp.app_errorhandler(StaleDataError)
def saved_meanwhile(error: StaleDataError):
    """A versioned record (app/common/versions.py) that another request saved between this one reading it
    and writing it, through a form that has no clash page of its own: nothing saved, and a way on."""
    _discard_the_failed_work()
    log.info("A save lost a race with another: %s", error)
    return render_template("errors/saved_meanwhile.html"), 409


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    _discard_the_failed_work()
    code = error.code or 500
    template = f"errors/{code}.html" if code in PAGES else "errors/other.html"
    return render_template(template, error=error), code


@bp.app_errorhandler(Exception)
def unexpected_error(error: Exception):
    propagate = current_app.config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:
        propagate = current_app.testing or current_app.debug
    if propagate:
        raise error  # tests and debugging see the real traceback
    log.exception("Unhandled error", exc_info=error)
    try:
        return http_error(InternalServerError())
    except Exception:  # the error page itself failed (e.g. the database is down)
        log.exception("The error page failed too")
        return "Sorry, there is a problem with the service. Try again later.", 500
