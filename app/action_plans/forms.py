"""Forms for the action plan pages."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField

from app.common.forms import DayMonthYearField, StripWhitespaceForm
from app.models import ActionStatus


class ActionForm(StripWhitespaceForm):
    areas = SelectMultipleField("Which areas of the framework does it address?", widget=GovCheckboxesInput(),
                                validate_choice=False, choices={})
    description = TextAreaField("What will be done?", widget=GovTextArea())
    owner = RadioField("Who owns it?", widget=GovRadioInput(), validate_choice=False, choices={})
    owner_name = StringField("Name of the person who owns it", widget=GovTextInput())
    due_on = DayMonthYearField("Due date")
    success_criteria = TextAreaField("Success criteria", widget=GovTextArea())
    submit = SubmitField("Save action", widget=GovSubmitInput())


class ProgressForm(StripWhitespaceForm):
    status = RadioField("Status", widget=GovRadioInput(), validate_choice=False,
                        choices={s.value: s.label for s in ActionStatus})
    note = TextAreaField("Progress note", widget=GovTextArea())
    noted_on = DayMonthYearField("Date of the note")
    submit = SubmitField("Save progress", widget=GovSubmitInput())
