"""Forms for scheduling. Dates use the GOV.UK date input; times are typed (9:30, 14:00, 2pm)."""
from __future__ import annotations

import uuid
from datetime import datetime

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField

from app.common.autosave import VersionedForm
from app.common.clock import in_london
from app.common.forms import DayMonthYearField, StripWhitespaceForm, WholeNumberField
from app.common.ids import parse_uuid
from app.meetings.service import MeetingInput, When
from app.models.scheduling import ClusterMeeting, Meeting, TriadMeeting


class WhenForm(StripWhitespaceForm):
    day = DayMonthYearField("Date")
    time = StringField("Start time", widget=GovTextInput())
    duration_minutes = WholeNumberField("How long, in minutes", widget=GovTextInput(),
                                        message="Enter how long it lasts as a number of minutes, like 90")

    def when(self) -> When:
        """The date and time as entered, for the service to check."""
        return When(self.day.data, self.day.invalid, self.time.data or "")

    def fill_when(self, moment: datetime | None, minutes: int) -> None:
        """Show a stored moment as the London date and time people typed."""
        if moment is not None:
            local = in_london(moment)
            self.day.data = local.date()
            self.time.data = f"{local:%H:%M}"
        self.duration_minutes.data = minutes


class MeetingForm(WhenForm):
    """A triad's or a cluster's meeting: when, which school hosts, where, and the agenda."""

    host_school_id = SelectField("Host school", widget=GovSelect(), validate_choice=False, choices={})
    place = StringField("Where", widget=GovTextInput())
    online_link = StringField("Online meeting link", widget=GovTextInput())
    agenda = TextAreaField("Agenda", widget=GovTextArea())
    submit = SubmitField("Save meeting", widget=GovSubmitInput())

    def fill(self, meeting: Meeting | None) -> None:
        """Show the meeting as it stands (a new one lasts 90 minutes)."""
        self.fill_when(meeting.starts_at if meeting else None, meeting.duration_minutes if meeting else 90)
        if meeting:
            self.host_school_id.data = str(meeting.host_school_id or "")
            self.place.data, self.online_link.data = meeting.place, meeting.online_link
            self.agenda.data = meeting.agenda

    def given(self) -> MeetingInput:
        return MeetingInput(self.when(), self.duration_minutes.data, parse_uuid(self.host_school_id.data),
                            self.place.data, self.online_link.data, self.agenda.data)


class MeetingRecordForm(StripWhitespaceForm):
    """After a triad's or a cluster's meeting: whether it was held, who attended, the notes."""

    held = BooleanField("The meeting took place", widget=GovCheckboxInput())
    attendees = SelectMultipleField("Who attended", widget=GovCheckboxesInput(), validate_choice=False, choices={})
    notes = TextAreaField("Notes", widget=GovTextArea())
    submit = SubmitField("Save notes", widget=GovSubmitInput())

    def fill(self, meeting: Meeting) -> None:
        self.held.data = meeting.held
        self.notes.data = meeting.notes
        self.attendees.data = [str(p.id) for p in meeting.attendees]

    def attendee_ids(self) -> set[uuid.UUID]:
        return {i for i in (parse_uuid(v) for v in self.attendees.data or []) if i}


class VersionedRecordForm(VersionedForm, MeetingRecordForm):
    """A triad's or a cluster's meeting's notes, which autosave: the page sends back the version it showed."""

    def fill(self, meeting: TriadMeeting | ClusterMeeting) -> None:
        super().fill(meeting)
        self.version.data = meeting.version


class PeerVisitForm(WhenForm):
    focus_area_id = RadioField("Focus area", widget=GovRadioInput(), validate_choice=False, choices={})
    submit = SubmitField("Save visit", widget=GovSubmitInput())


class VisitNotesForm(VersionedForm):
    """Filled from the visit (its version among its fields) until something is posted."""

    strengths = TextAreaField("Strengths seen", widget=GovTextArea())
    questions = TextAreaField("Questions to consider", widget=GovTextArea())
    next_steps = TextAreaField("Next steps agreed", widget=GovTextArea())
    submit = SubmitField("Save notes", widget=GovSubmitInput())

    def texts(self) -> tuple[str, str, str]:
        return self.strengths.data or "", self.questions.data or "", self.next_steps.data or ""


class QAVisitForm(WhenForm):
    submit = SubmitField("Save QA visit", widget=GovSubmitInput())


class EventForm(WhenForm):
    place = StringField("Where", widget=GovTextInput())
    details = TextAreaField("Details for schools", widget=GovTextArea())
    submit = SubmitField("Save event", widget=GovSubmitInput())
