"""Administration forms."""
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.common.forms import StripWhitespaceForm
from app.models import OrganisationKind


class OrganisationForm(StripWhitespaceForm):
    name = StringField("Organisation name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the organisation's name"),
                                   Length(max=200, message="Organisation name must be 200 characters or fewer")])
    kind = RadioField("Type of organisation", widget=GovRadioInput(),
                      choices={kind.value: kind.label for kind in OrganisationKind},
                      invalid_choice_message="Choose the type of organisation",
                      validators=[DataRequired("Choose the type of organisation")])
    submit = SubmitField("Add organisation", widget=GovSubmitInput())
