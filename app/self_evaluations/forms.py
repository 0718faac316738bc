"""Forms for the self-evaluation pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import HiddenInput

from app.common.forms import StripWhitespaceForm, WholeNumberField

NOT_EVALUATED = "none"
TEXT_FIELDS = ("evidence", "strengths", "development")
OUT_OF_DATE = "The page is out of date. Reload it to carry on"


class AreaForm(StripWhitespaceForm):
    """One area: a level from the scale (or not yet evaluated, with a reason) and three texts.

    The radios are drawn by the template, which knows the programme's scale.
    """

    level = StringField("Rating")
    not_evaluated_reason = TextAreaField("If not yet evaluated, why not?", widget=GovTextArea())
    evidence = TextAreaField("Evidence", widget=GovTextArea())
    strengths = TextAreaField("Strengths", widget=GovTextArea())
    development = TextAreaField("Areas for development", widget=GovTextArea())
    # Sent back by the page; only a tampered or broken page gets these messages.
    version = WholeNumberField(widget=HiddenInput(), message=OUT_OF_DATE, validators=[InputRequired(OUT_OF_DATE)])


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
