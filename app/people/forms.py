"""Forms for a school's people (inviting, naming a successor) and for inviting people in bulk."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from app.common.forms import StripWhitespaceForm
from app.models import Role

NEW_PERSON = "new"
CONFIRMED = "yes"


class SchoolInviteForm(StripWhitespaceForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the person's full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter an email address in the correct format, like name@example.com")])
    role = RadioField("Role", widget=GovRadioInput(), invalid_choice_message="Choose headteacher or SENCo",
                      choices={Role.SENCO.value: Role.SENCO.label, Role.HEAD.value: Role.HEAD.label},
                      validators=[DataRequired("Choose headteacher or SENCo")])
    # Set by the check page's button: the person has been told what else the invitation does.
    confirmed = HiddenField()
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class SuccessorForm(StripWhitespaceForm):
    successor = RadioField("Who takes over?", widget=GovRadioInput(), validate_choice=False,
                           validators=[DataRequired("Choose who takes over")])
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput())
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def offer(self, staff) -> None:
        self.successor.choices = {**{str(user.id): user.name for user in staff},
                                  NEW_PERSON: "Someone new to the school"}

    def validate_successor(self, field) -> None:
        if field.data not in dict(field.choices):
            raise ValidationError("Choose who takes over")


class BulkInviteForm(StripWhitespaceForm):
    file = FileField("Upload a CSV file", widget=GovFileInput(),
                     validators=[FileRequired("Select a CSV file"),
                                 FileAllowed(["csv"], "The selected file must be a CSV")])
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmBulkInviteForm(StripWhitespaceForm):
    csv_text = HiddenField()
    submit = SubmitField("Send the invitations", widget=GovSubmitInput())
