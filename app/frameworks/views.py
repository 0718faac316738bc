"""The programme's framework: anyone overseeing the programme reads it; its lead adapts it; everyone taking part
can print a blank copy to draft a self-evaluation on paper."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.common.forms import saved
from app.frameworks.forms import AreaForm, ScaleForm
from app.frameworks.service import (
    SETTING_NAMES,
    current_framework,
    find_area,
    update_area,
    update_scale,
)
from app.models import Framework, SettingType
from app.permissions import requires

bp = Blueprint("frameworks", __name__)


@bp.get("/programmes/<uuid:programme_id>/framework")
@requires("programme.view", programme="programme_id")
def show(programme):
    return render_template("frameworks/show.html", programme=programme, framework=current_framework(programme))


@bp.get("/programmes/<uuid:programme_id>/framework/blank")
@requires("framework.print", programme="programme_id")
def blank(programme):
    """Every area with its prompts for one kind of setting (mainstream unless `?setting=specialist`), and room to
    write, for a SENCo to print and draft on with their senior team."""
    framework = current_framework(programme) or abort(404)
    specialist = request.args.get("setting") == SettingType.SPECIALIST
    setting = SettingType.SPECIALIST if specialist else SettingType.MAINSTREAM
    return render_template("frameworks/blank.html", programme=programme, framework=framework, setting=setting,
                           settings=SETTING_NAMES)


@bp.route("/programmes/<uuid:programme_id>/framework/areas/<int:position>", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def edit_area(programme, position: int):
    area = find_area(programme, position) or abort(404)
    form = AreaForm.for_area(area)
    if form.validate_on_submit() and saved(form, "description", lambda: update_area(
            programme, position, form.description.data,
            form.prompts(SettingType.MAINSTREAM), form.prompts(SettingType.SPECIALIST)),
            lambda framework: _updated(f"Area {position} updated", area.framework, framework)):
        return redirect(url_for("frameworks.show", programme_id=programme.id))
    return render_template("frameworks/edit_area.html", form=form, programme=programme, area=area)


@bp.route("/programmes/<uuid:programme_id>/framework/scale", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def edit_scale(programme):
    before = current_framework(programme) or abort(404)
    form = ScaleForm.for_scale(before.scale)
    if form.validate_on_submit() and saved(form, f"label_{before.scale[0].value}", lambda: update_scale(
            programme, form.labels(before.scale), form.descriptions(before.scale)),
            lambda framework: _updated("Rating scale updated", before, framework)):
        return redirect(url_for("frameworks.show", programme_id=programme.id))
    return render_template("frameworks/edit_scale.html", form=form, programme=programme, framework=before)


def _updated(message: str, before: Framework, framework: Framework) -> str:
    """Say what changed, and that it is a new version when schools have started on the one before."""
    if framework is before:
        return f"{message}."
    return (f"{message} as version {framework.version}, because schools have started self-evaluations "
            "on the earlier one.")
