"""Every HTTP error is shown through one handler, as a page in the house style."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

PAGES = {403, 404, 500}


@bp.app_errorhandler(CSRFError)
def form_expired(error: CSRFError):
    return render_template("errors/csrf.html"), 400


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
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
