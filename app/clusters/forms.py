"""Forms for clusters: adding one, naming its leads, choosing its schools, and a school's last review."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField

from app.common.forms import DayMonthYearField, StripWhitespaceForm


class ClusterForm(StripWhitespaceForm):
    name = StringField("Cluster name", widget=GovTextInput())
    submit = SubmitField("Add the cluster", widget=GovSubmitInput())


class LeadsForm(StripWhitespaceForm):
    lead_head_id = SelectField("Lead headteacher", widget=GovSelect(), validate_choice=False, choices={})
    primary_senco_id = SelectField("Lead SENCo for primary schools", widget=GovSelect(), validate_choice=False,
                                   choices={})
    secondary_senco_id = SelectField("Lead SENCo for secondary schools", widget=GovSelect(), validate_choice=False,
                                     choices={})
    submit = SubmitField("Save the leads", widget=GovSubmitInput())


class ClusterSchoolsForm(StripWhitespaceForm):
    schools = SelectMultipleField("Schools in the cluster", widget=GovCheckboxesInput(), validate_choice=False,
                                  choices={})
    submit = SubmitField("Save the schools", widget=GovSubmitInput())


class SendReviewForm(StripWhitespaceForm):
    last_review_on = DayMonthYearField("Date of the last Whole School SEND Review")
    submit = SubmitField("Save the date", widget=GovSubmitInput())
