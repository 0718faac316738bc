"""The page's side of saving without losing text: the form that sends the version it showed (and, from the
clash page, which version to keep of each part), and the JSON an autosave answers (app/static/src/autosave.mjs
reads it): the new version, 409 on a clash, 422 when a rule refuses, 400 when the page is out of date."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Response, jsonify, render_template, request
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from app.common import clock
from app.common.errors import DomainError
from app.common.forms import StripWhitespaceForm, WholeNumberField
from app.common.versions import VersionConflict, Versioned, clash_rows

OUT_OF_DATE = "The page is out of date. Reload it to carry on"


class VersionedForm(StripWhitespaceForm):
    """A form for a record several people may edit: the page sends back the version it showed."""

    # Only a tampered or broken page gets this message.
    version = WholeNumberField(widget=HiddenInput(), message=OUT_OF_DATE, validators=[InputRequired(OUT_OF_DATE)])

    def opened_version(self) -> int:
        """The record's version when the page was opened (validation makes sure the page sent one)."""
        return self.version.data if self.version.data is not None else 0

    def kept_theirs(self, names: Iterable[str]) -> list[str]:
        """Of `names`, those for which the clash page chose the version already saved (`keep_<name>`)."""
        return [name for name in names if request.form.get(f"keep_{name}") == "theirs"]


def autosaved(form: VersionedForm, save: Callable[[], Versioned]) -> tuple[Response, int]:
    """Answer an autosave: `save()` (the service call the Save button makes, with the form's version) returns
    the record saved. Nothing is saved when the form or a rule refuses."""
    if not form.validate():
        refused = [message for name, messages in form.errors.items() if name not in ("csrf_token", "version")
                   for message in messages]
        if refused and not {"csrf_token", "version"} & set(form.errors):
            return jsonify(message=refused[0]), 422
        return jsonify(message=f"{OUT_OF_DATE}."), 400
    try:
        record = save()
    except VersionConflict as conflict:
        return jsonify(conflict=True, message=conflict.message), 409
    except DomainError as error:
        return jsonify(message=error.message), 422
    return jsonify(version=record.version, saved_at=clock.now().isoformat()), 200


def clash_page(form: VersionedForm, conflict: VersionConflict, *, version: int, action: str, title: str,
               caption: str, heading: str, shown: Callable[[str, Any], str | None] = lambda name, value: None,
               labels: Mapping[str, str] | None = None, file_field: Any = None) -> str:
    """The clash page: the parts that differ (labelled as the form labels its fields, or by `labels`; each value
    in words by `shown`, else as app.common.versions.shown_value writes it), posted back with the record's
    `version` now to `action`, the form's page. `file_field` asks again for a file the person attached."""
    named = {field.name: field.label.text for field in form}
    rows = clash_rows(conflict, {**named, **(labels or {})}, shown)
    return render_template("components/clash_page.html", form=form, version=version, rows=rows, action=action,
                           title=title, caption=caption, heading=heading, file_field=file_field)
