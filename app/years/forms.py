"""The forms of a programme's years: the administrator's reason for reopening one, the roll-over's choices
(which schools return, which triads are copied) and the programme's planned length."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectMultipleField, SubmitField, TextAreaField

from app.common.forms import StripWhitespaceForm, WholeNumberField


class ReopenYearForm(StripWhitespaceForm):
    reason = TextAreaField("Why are you reopening it?", widget=GovTextArea())
    submit = SubmitField("Reopen the year", widget=GovSubmitInput())


class NextYearForm(StripWhitespaceForm):
    """The choices offered are the last year's schools and triads; anything else sent counts as not chosen."""

    schools = SelectMultipleField("Which schools return?", widget=GovCheckboxesInput(), validate_choice=False,
                                  choices={})
    triads = SelectMultipleField("Which triads carry on?", widget=GovCheckboxesInput(), validate_choice=False,
                                 choices={})
    submit = SubmitField("Start the year", widget=GovSubmitInput())


class PlannedYearsForm(StripWhitespaceForm):
    planned_years = WholeNumberField("How many academic years is the programme planned to run?",
                                     widget=GovTextInput(), message="Enter the number of years as a number, like 3")
    submit = SubmitField("Save", widget=GovSubmitInput())
