"""PLACEHOLDER: replaced by the programmes work."""
from flask import Blueprint
from app.permissions import requires
bp = Blueprint("programmes", __name__)

@bp.get("/programmes")
@requires("programme.create")
def index(): return ""
@bp.get("/programmes/<programme_id>")
@requires("programme.view", programme="programme_id")
def show(programme): return ""
@bp.get("/programmes/<programme_id>/years/new")
@requires("programme.manage", programme="programme_id")
def new_year(programme): return ""
@bp.get("/years/<year_id>")
@requires("programme.view", year="year_id")
def year(year): return ""
@bp.get("/years/<year_id>/import")
@requires("programme.manage", year="year_id")
def import_schools(year): return ""
@bp.get("/years/<year_id>/triads/new")
@requires("programme.manage", year="year_id")
def new_triad(year): return ""
@bp.get("/triads/<triad_id>")
@requires("triad.view", triad="triad_id")
def triad(triad): return ""
@bp.get("/schools/<school_id>")
@requires("school.view", school="school_id")
def school(school): return ""
