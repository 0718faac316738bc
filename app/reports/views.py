"""Report downloads. Each report shows only what the person downloading it may see (see
app/reports/readers.py); the same PDFs come from `flask report ...` for batch printing."""
from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user

from app.common.errors import DomainError
from app.common.exports import download
from app.permissions import requires
from app.reports.readers import school_report_pdf, triad_report_pdf
from app.reports.service import ReportRefused, school_report_filename, triad_report_filename

bp = Blueprint("reports", __name__)


def _pdf(body: bytes, filename: str) -> Response:
    return download(body, filename, "application/pdf")


@bp.get("/schools/<uuid:school_id>/years/<uuid:year_id>/report.pdf")
@requires("school_report.view", school="school_id", year="year_id")
def school_report(school, year):
    try:
        body = school_report_pdf(school, year, current_user._get_current_object())
    except ReportRefused:
        abort(403)  # the decorator knows only the school; the service checks this year
    except DomainError:
        abort(404)  # the school is not taking part in that year
    return _pdf(body, school_report_filename(school, year))


@bp.get("/triads/<uuid:triad_id>/report.pdf")
@requires("triad.view", triad="triad_id")
def triad_report(triad):
    return _pdf(triad_report_pdf(triad, current_user._get_current_object()), triad_report_filename(triad))
