"""Forms for the programme lead: programmes, years, school import, triads, invitations and closure days."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from app.common.forms import DayMonthYearField, StripWhitespaceForm, WholeNumberField
from app.common.ids import parse_uuid
from app.models import Role, SettingType
from app.programmes.triads import SchoolFilters

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
    """Step 2 of forming or editing a triad (and accepting a suggested one): its name and its coach, among
    the three schools chosen in step 1, which the form carries as hidden fields."""

    name = StringField("Triad name", widget=GovTextInput(),
                       validators=[DataRequired("Enter a name for the triad"),
                                   Length(max=120, message="Triad name must be 120 characters or fewer")])
    schools = SelectMultipleField("Schools", validate_choice=False)  # drawn as hidden inputs by the page
    coach = RadioField("Coach school", widget=GovRadioInput(), validate_choice=False,
                       validators=[DataRequired("Choose the coach school")])
    submit = SubmitField("Save triad", widget=GovSubmitInput())

    def offer(self, rows) -> None:
        """The chosen schools (app.programmes.triads.SchoolRow) as the coach's choices."""
        self.schools.choices = {str(row.school.id): row.school.name for row in rows}
        self.coach.choices = {str(row.school.id): _coach_label(row) for row in rows}


def _coach_label(row) -> str:
    label = f"{row.school.name} (URN {row.school.urn})"
    if row.completed:
        return f"{label}, returning: completed last year"
    return f"{label}, returning" if row.is_returning else label


ANY = ""
RETURNING_CHOICES = {ANY: "Any", "returning": "Returning schools", "new": "New schools"}
SHOW_CHOICES = {"free": "Not yet in a triad", "all": "All schools"}


class TriadSearchForm(StripWhitespaceForm):
    """Step 1's filters, sent in the address (a search only reads), so a search works without JavaScript
    and can be bookmarked. A value not offered filters nothing."""

    class Meta(StripWhitespaceForm.Meta):
        csrf = False

    q = StringField("Name or URN", widget=GovTextInput())
    cluster = SelectField("Cluster", widget=GovSelect(), validate_choice=False, choices={})
    phase = SelectField("Phase", widget=GovSelect(), validate_choice=False, choices={})
    setting = SelectField("Setting", widget=GovSelect(), validate_choice=False,
                          choices={ANY: "Any setting", **{s.value: s.label for s in SettingType}})
    returning = SelectField("Returning or new", widget=GovSelect(), validate_choice=False, choices=RETURNING_CHOICES)
    show = SelectField("Show", widget=GovSelect(), validate_choice=False, choices=SHOW_CHOICES, default="free")
    submit = SubmitField("Search", widget=GovSubmitInput())

    def offer(self, clusters, phases) -> None:
        self.cluster.choices = {ANY: "Any cluster", **{str(c.id): c.name for c in clusters}}
        self.phase.choices = {ANY: "Any phase", **{phase: phase for phase in phases}}

    def _offered(self, field) -> str:
        return field.data if isinstance(field.data, str) and field.data in dict(field.choices) else ANY

    def filters(self) -> SchoolFilters:
        """What the lead asked for, anything not offered left out."""
        returning = self._offered(self.returning)
        setting = self._offered(self.setting)
        return SchoolFilters(text=self.q.data or "", cluster_id=parse_uuid(self._offered(self.cluster)),
                             phase=self._offered(self.phase), setting=SettingType(setting) if setting else None,
                             returning={"returning": True, "new": False}.get(returning),
                             free_only=self.show.data != "all")

    def args(self) -> dict[str, str]:
        """The filters as the address carries them (empty ones left out), for links that keep them."""
        values = {"q": self.q.data or "", **{f.name: self._offered(f) for f in (self.cluster, self.phase,
                                                                            self.setting, self.returning)}}
        if self.show.data == "all":
            values["show"] = "all"
        return {name: value for name, value in values.items() if value}


class SuggestionsForm(StripWhitespaceForm):
    """The suggestions page's one choice, in the address."""

    class Meta(StripWhitespaceForm.Meta):
        csrf = False

    mixed = BooleanField("Mix phases in each triad", widget=GovCheckboxInput(), false_values=("", "0", "n"))
    submit = SubmitField("Suggest again", widget=GovSubmitInput())


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


class LogoForm(StripWhitespaceForm):
    # Which files are logos (and how large) is the service's rule (app/common/images.py).
    file = FileField("Upload a logo", widget=GovFileInput())
    submit = SubmitField("Upload logo", widget=GovSubmitInput())
