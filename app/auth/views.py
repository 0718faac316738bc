"""PLACEHOLDER: replaced by the auth work."""
from flask import Blueprint
from app.permissions import PUBLIC, SIGNED_IN, requires
bp = Blueprint("auth", __name__)

@bp.route("/sign-in", methods=["GET", "POST"])
@requires(PUBLIC)
def sign_in():
    return "sign in"

@bp.post("/sign-out")
@requires(SIGNED_IN)
def sign_out():
    return "signed out"
