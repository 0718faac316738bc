"""Forms for the action plan pages."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField

from app.action_plans.carried import Unfinished
from app.action_plans.service import OTHER_OWNER, ActionInput
from app.common.autosave import VersionedForm
from app.common.forms import DayMonthYearField, StripWhitespaceForm
from app.common.ids import parse_uuid
from app.models import Action, ActionStatus, FrameworkArea, User


class ActionForm(StripWhitespaceForm):
    areas = SelectMultipleField("Which areas of the framework does it address?", widget=GovCheckboxesInput(),
                                validate_choice=False, choices={})
    description = TextAreaField("What will be done?", widget=GovTextArea())
    owner = RadioField("Who owns it?", widget=GovRadioInput(), validate_choice=False, choices={})
    owner_name = StringField("Name of the person who owns it", widget=GovTextInput())
    due_on = DayMonthYearField("Due date")
    success_criteria = TextAreaField("Success criteria", widget=GovTextArea())
    carried_from = HiddenField()  # a new action carrying on last year's: that action's id
    submit = SubmitField("Save action", widget=GovSubmitInput())

    def offer(self, areas: list[FrameworkArea], staff: list[User]) -> None:
        """The areas the plan can address, and the school's staff (or someone else) as owners."""
        self.areas.choices = {str(a.id): f"{a.position}. {a.title}" for a in areas}
        self.owner.choices = {**{str(u.id): u.name for u in staff}, OTHER_OWNER: "Someone else"}

    def fill(self, action: Action, staff: list[User]) -> None:
        """Show the action as saved."""
        self.areas.data = [str(a.id) for a in action.areas]
        self.description.data = action.description
        self.owner.data = str(action.owner_id) if action.owner_id and any(u.id == action.owner_id for u in staff) \
            else (OTHER_OWNER if action.owner_name else "")
        self.owner_name.data = action.owner_name
        self.due_on.data = action.due_on
        self.success_criteria.data = action.success_criteria

    def carry_on(self, carried: Unfinished, areas: list[FrameworkArea], staff: list[User]) -> None:
        """Start from last year's unfinished action: what was to be done, its areas, owner and success
        criteria; the due date is for this year, so it is left to fill in."""
        self.fill(carried.action, staff)
        self.areas.data = [str(a.id) for a in areas]
        self.due_on.data = None
        self.carried_from.data = str(carried.action.id)

    def given(self) -> ActionInput:
        """What was sent, for the service to check."""
        return ActionInput(
            area_ids=[i for i in (parse_uuid(v) for v in self.areas.data or []) if i],
            description=self.description.data, owner=self.owner.data or "", owner_name=self.owner_name.data,
            due_on=self.due_on.data, due_on_invalid=self.due_on.invalid, success_criteria=self.success_criteria.data,
            carried_from_id=parse_uuid(self.carried_from.data))


class ActionEditForm(VersionedForm, ActionForm):
    """An action already saved: the page sends back the version it showed (autosave keeps it current)."""

    def fill(self, action: Action, staff: list[User]) -> None:
        super().fill(action, staff)
        self.version.data = action.version


class ProgressForm(StripWhitespaceForm):
    status = RadioField("Status", widget=GovRadioInput(), validate_choice=False,
                        choices={s.value: s.label for s in ActionStatus})
    note = TextAreaField("Progress note", widget=GovTextArea())
    noted_on = DayMonthYearField("Date of the note")
    submit = SubmitField("Save progress", widget=GovSubmitInput())
