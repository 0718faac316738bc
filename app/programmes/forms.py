"""Forms for the programme lead: programmes, years, school import, triads, invitations and closure days."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from app.common.forms import DayMonthYearField, StripWhitespaceForm, WholeNumberField
from app.models import Role

INVITABLE_ROLES = (Role.PROGRAMME_LEAD, Role.QA_EXPERT, Role.HEAD, Role.SENCO, Role.CLUSTER_LEAD)


class ProgrammeForm(StripWhitespaceForm):
    organisation = SelectField("Organisation", widget=GovSelect(), validate_choice=False,
                               validators=[DataRequired("Choose the organisation that runs the programme")])
    name = StringField("Programme name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the programme's name"),
                                   Length(max=200, message="Programme name must be 200 characters or fewer")])
    submit = SubmitField("Create programme", widget=GovSubmitInput())

    def validate_organisation(self, field) -> None:
        if field.data not in dict(field.choices):
            raise ValidationError("Choose the organisation that runs the programme")


class YearForm(StripWhitespaceForm):
    start_year = WholeNumberField("Year the academic year starts", widget=GovTextInput(),
                                  message="Enter the year the academic year starts as a number, like 2025",
                                  validators=[DataRequired("Enter the year the academic year starts, like 2025"),
                                              NumberRange(2000, 2100, "Enter a year between 2000 and 2100, like 2025")])
    submit = SubmitField("Add academic year", widget=GovSubmitInput())


class ImportForm(StripWhitespaceForm):
    file = FileField("Upload a CSV file", widget=GovFileInput(),
                     validators=[FileRequired("Select a CSV file"),
                                 FileAllowed(["csv"], "The selected file must be a CSV")])
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(StripWhitespaceForm):
    csv_text = HiddenField()
    submit = SubmitField("Import schools", widget=GovSubmitInput())


class TriadForm(StripWhitespaceForm):
    name = StringField("Triad name", widget=GovTextInput(),
                       validators=[DataRequired("Enter a name for the triad"),
                                   Length(max=120, message="Triad name must be 120 characters or fewer")])
    schools = SelectMultipleField("Schools", widget=GovCheckboxesInput(), validate_choice=False)
    coach = RadioField("Coach school", widget=GovRadioInput(), validate_choice=False,
                       validators=[DataRequired("Choose the coach school")])
    submit = SubmitField("Save triad", widget=GovSubmitInput())

    def offer(self, schools) -> None:
        choices = {str(school.id): f"{school.name} (URN {school.urn})" for school in schools}
        self.schools.choices = choices
        self.coach.choices = choices


class InviteForm(StripWhitespaceForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the person's full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter an email address in the correct format, like name@example.com")])
    role = RadioField("Role", widget=GovRadioInput(), invalid_choice_message="Choose the person's role",
                      validators=[DataRequired("Choose the person's role")])
    school = SelectField("School (for a headteacher or SENCo)", widget=GovSelect(), validate_choice=False)
    cluster = SelectField("Cluster (for a cluster lead)", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def offer(self, schools, clusters) -> None:
        roles = [r for r in INVITABLE_ROLES if r != Role.CLUSTER_LEAD or clusters]
        self.role.choices = {role.value: role.label for role in roles}
        self.school.choices = {"": "Choose a school", **{str(s.id): s.name for s in schools}}
        self.cluster.choices = {"": "Choose a cluster", **{str(c.id): c.name for c in clusters}}


class ClosureDayForm(StripWhitespaceForm):
    # The rules (a real weekday that is not a bank holiday, a short reason) are the service's.
    day = DayMonthYearField("Date")
    reason = StringField("Reason (optional)", widget=GovTextInput())
    submit = SubmitField("Add closure day", widget=GovSubmitInput())
