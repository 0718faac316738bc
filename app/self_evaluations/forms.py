"""Forms for the self-evaluation pages."""
from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired

from app.common.autosave import VersionedForm
from app.common.forms import StripWhitespaceForm
from app.models import AreaRating, QAVisit, User
from app.self_evaluations.service import NOT_EVALUATED, TEXT_FIELDS, AreaRow


class AreaForm(VersionedForm):
    """One area: a level from the scale (or not yet evaluated, with a reason) and three texts.

    The radios are drawn by the template, which knows the programme's scale. The save-clash page posts
    the same form back, with a `keep_` choice for each answer that differs (VersionedForm.kept_theirs).
    """

    level = StringField("Rating")
    not_evaluated_reason = TextAreaField("If not yet evaluated, why not?", widget=GovTextArea())
    evidence = TextAreaField("Evidence", widget=GovTextArea())
    strengths = TextAreaField("Strengths", widget=GovTextArea())
    development = TextAreaField("Areas for development", widget=GovTextArea())
    # The button pressed: "continue" to the next area, anything else back to the overview.
    next = HiddenField()

    @classmethod
    def for_rating(cls, rating: AreaRating) -> AreaForm:
        """The form, showing the area as saved until something is posted."""
        form = cls()
        if not form.is_submitted():
            form.level.data = (str(rating.level) if rating.level
                               else NOT_EVALUATED if rating.not_evaluated_reason else "")
            for name in TEXT_FIELDS:
                form[name].data = getattr(rating, name)
            form.version.data = rating.version
        return form

    def texts(self) -> dict[str, str | None]:
        """The reason and the three texts, as typed."""
        return {name: self[name].data for name in TEXT_FIELDS}


class ReasonForm(StripWhitespaceForm):
    reason = TextAreaField("Why are you reopening it?", widget=GovTextArea(),
                           validators=[DataRequired("Enter why you are reopening the self-evaluation")])
    submit = SubmitField("Reopen for editing", widget=GovSubmitInput())


class SharingForm(FlaskForm):
    shared = BooleanField("Share our self-evaluation and action plan with the programme lead",
                          widget=GovCheckboxInput())
    submit = SubmitField("Save sharing choice", widget=GovSubmitInput())


class ResponseForm(StripWhitespaceForm):
    response = TextAreaField("Your response", widget=GovTextArea(),
                             validators=[DataRequired("Enter your response to the moderated rating")])
    submit = SubmitField("Save response", widget=GovSubmitInput())


class ExpertForm(FlaskForm):
    expert = SelectField("QA expert", widget=GovSelect(), validate_choice=False,
                         validators=[DataRequired("Choose a QA expert from the list")])
    submit = SubmitField("Assign QA expert", widget=GovSubmitInput())

    @classmethod
    def for_experts(cls, experts: Sequence[User], visit: QAVisit | None) -> ExpertForm:
        """The programme's QA experts to choose from, the school's current one chosen."""
        form = cls()
        form.expert.choices = [SelectChoice("", "Choose a QA expert"),
                               *(SelectChoice(str(e.id), e.name) for e in experts)]
        if not form.is_submitted() and visit:
            form.expert.data = str(visit.expert_id)
        return form


class ModerationForm(VersionedForm):
    """The QA expert's rating and comment for each area: fields `level_N` and `comment_N`, added per
    area, and the version of the moderation the page showed. The radios are drawn by the template, which
    knows the scale."""

    positions: list[int]

    @classmethod
    def for_rows(cls, rows: Sequence[AreaRow], visit: QAVisit | None) -> ModerationForm:
        """The form for these areas, showing the moderated ratings saved so far until something is posted."""
        fields: dict[str, object] = {}
        for row in rows:
            n = row.area.position
            fields[f"level_{n}"] = StringField(f"Moderated rating for area {n}")
            fields[f"comment_{n}"] = TextAreaField(f"Comment on area {n}", widget=GovTextArea())
        form: ModerationForm = type("ModerationForm", (cls,), fields)()
        form.positions = [row.area.position for row in rows]
        if not form.is_submitted():
            form.version.data = visit.version if visit else 1
            for row in rows:
                moderated = row.moderated
                level = moderated.level if moderated else None
                form[f"level_{row.area.position}"].data = "" if level is None else str(level)
                form[f"comment_{row.area.position}"].data = moderated.comment if moderated else ""
        return form

    @property
    def first_field(self) -> str:
        """Where an error that names no area is shown."""
        return f"level_{self.positions[0]}" if self.positions else "csrf_token"

    def entries(self) -> dict[int, tuple[int | None, str]]:
        """Each area's moderated level (None when none was chosen) and comment, by area number."""
        def level(n: int) -> int | None:
            chosen = self[f"level_{n}"].data or ""
            return int(chosen) if chosen.isdecimal() and len(chosen) < 19 else None

        return {n: (level(n), self[f"comment_{n}"].data or "") for n in self.positions}
