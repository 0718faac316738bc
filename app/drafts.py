"""Drafts of the long text in forms whose saving is a step: a new action or key learning, a progress note, a
response to a QA flag (which tells the QA expert), a change to a finalised plan (which starts its next version),
a new information request. Saving those is the person's decision, so their autosave does not save the record:
it keeps what they have typed as their draft of that page, for them alone, until their Save button saves it.
Opening the page again fills the form from the draft, and the layout says so (`g.restored_draft`).

A page's autosave URL is its own path with "/autosave" after it, so the two share the draft's key: the person
and the page's path (without its query). Nobody else's draft is ever read, so there is no one to clash with;
the Save button's own version check still guards the record. Drafts left longer than DRAFT_KEPT go."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import Response, g, jsonify, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from wtforms import FileField

from app.common import clock
from app.extensions import db
from app.models import FormDraft
from app.models.kept_form import PATH_LENGTH

AUTOSAVE_SUFFIX = "/autosave"
DRAFT_KEPT = timedelta(days=30)
MOST_CHARACTERS = 1_000_000  # the fields' names and values together
TOO_LONG = "This is too long to keep automatically. Select the Save button to save it"


def _page_path() -> str:
    return request.path.removesuffix(AUTOSAVE_SUFFIX)


def _drafts_of_page():
    return (FormDraft.user_id == current_user.id) & (FormDraft.path == _page_path())


def keep_draft(form: FlaskForm) -> tuple[Response, int]:
    """Answer the autosave of a form whose saving is a step: keep the form's own fields as sent (files aside:
    the Save button sends them) as this person's draft of the page. Nothing else is saved; the answer has no
    version, so the page keeps the one it opened with for its Save button."""
    names = {field.name for field in form if field.name != "csrf_token" and not isinstance(field, FileField)}
    fields = [(name, value) for name, value in request.form.items(multi=True) if name in names]
    path = _page_path()
    if len(path) > PATH_LENGTH or sum(len(name) + len(value) for name, value in fields) > MOST_CHARACTERS:
        return jsonify(message=TOO_LONG), 422
    now = clock.now()
    db.session.execute(delete(FormDraft).where(FormDraft.saved_at <= now - DRAFT_KEPT))
    draft = db.session.scalar(select(FormDraft).where(_drafts_of_page()))
    if draft is None:
        try:
            with db.session.begin_nested():
                db.session.add(FormDraft(user_id=current_user.id, path=path, fields="[]", saved_at=now))
        except IntegrityError:  # the same person's other autosave of this page, at the same moment
            pass
        draft = db.session.scalars(select(FormDraft).where(_drafts_of_page())).one()
    draft.fields, draft.saved_at = json.dumps(fields), now
    return jsonify(saved_at=now.isoformat()), 200


def restore_draft(form: FlaskForm) -> None:
    """On the form's page, opened afresh: fill the form from this person's draft of the page, if they kept
    one, and note when it was kept (`g.restored_draft`) for the layout to say so."""
    draft = db.session.scalar(select(FormDraft).where(_drafts_of_page(),
                                                      FormDraft.saved_at > clock.now() - DRAFT_KEPT))
    if draft is not None:
        form.process(formdata=MultiDict(json.loads(draft.fields)))
        g.restored_draft = draft.saved_at


def drop_draft() -> None:
    """The page's Save button saved what the person typed: their draft of the page goes with the save."""
    db.session.execute(delete(FormDraft).where(_drafts_of_page()))
