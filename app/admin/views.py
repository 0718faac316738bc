"""PLACEHOLDER: replaced by the admin work."""
from flask import Blueprint
from app.permissions import requires
bp = Blueprint("admin", __name__, url_prefix="/admin")

@bp.get("/")
@requires("admin")
def index(): return ""
@bp.get("/organisations/new")
@requires("admin")
def new_organisation(): return ""
