"""Forms for the celebration of learning and the practice library."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField

from app.common.autosave import VersionedForm
from app.common.forms import StripWhitespaceForm
from app.models import EVIDENCE_LEVELS, ImpactArea

LEVEL_CHOICES = {str(value): f"{value} {label}" for value, label in EVIDENCE_LEVELS.items()}


class LearningForm(StripWhitespaceForm):
    title = StringField("Title", widget=GovTextInput())
    what_we_did = TextAreaField("What did you do?", widget=GovTextArea())
    impact = TextAreaField("What impact have you seen?", widget=GovTextArea())
    next_steps = TextAreaField("What are your next steps?", widget=GovTextArea())
    areas = SelectMultipleField("Which areas of the framework does it concern?", widget=GovCheckboxesInput(),
                                validate_choice=False, choices={})
    impact_areas = SelectMultipleField("Where does it show impact?", widget=GovCheckboxesInput(),
                                       validate_choice=False, choices={a.value: a.label for a in ImpactArea})
    submit = SubmitField("Save learning", widget=GovSubmitInput())


class LearningEditForm(VersionedForm, LearningForm):
    """A key learning already saved: the page sends back the version it showed (autosave keeps it current)."""


class TagForm(StripWhitespaceForm):
    strength = RadioField("Strength of evidence", widget=GovRadioInput(), validate_choice=False, choices=LEVEL_CHOICES)
    breadth = RadioField("Breadth of impact", widget=GovRadioInput(), validate_choice=False, choices=LEVEL_CHOICES)
    submit = SubmitField("Save evidence signals", widget=GovSubmitInput())


class LibraryForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a search: it only reads

    q = StringField("Search", widget=GovTextInput())
    area = SelectField("Framework area", widget=GovSelect(), validate_choice=False, choices={})
    strength = SelectField("Strength of evidence", widget=GovSelect(), validate_choice=False,
                           choices={"": "Any strength", **LEVEL_CHOICES})
    submit = SubmitField("Search", widget=GovSubmitInput())
