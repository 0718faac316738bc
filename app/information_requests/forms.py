"""Forms for information requests."""
from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField

from app.common.autosave import VersionedForm
from app.common.forms import StripWhitespaceForm, WholeNumberField


class RequestForm(StripWhitespaceForm):
    title = StringField("Title", widget=GovTextInput())
    details = TextAreaField("What are you asking schools for?", widget=GovTextArea())
    working_days = WholeNumberField("Working days to answer", widget=GovTextInput(), default=10,
                                    message="Enter the number of working days as a number, like 10")
    audience = RadioField("Who is it for?", widget=GovRadioInput(), validate_choice=False,
                          choices={"all": "Every school in the year", "chosen": "The schools I choose"})
    schools = SelectMultipleField("Schools", widget=GovCheckboxesInput(), validate_choice=False, choices={})
    cluster_id = SelectField("Cluster", widget=GovSelect(), validate_choice=False, choices={})
    submit = SubmitField("Send the request", widget=GovSubmitInput())


class AnswerForm(VersionedForm):
    answer = TextAreaField("Your answer", widget=GovTextArea())
    file = FileField("Attach a file (optional)", widget=GovFileInput())
    submit = SubmitField("Send your answer", widget=GovSubmitInput())
