"""How a person is told of hand-offs."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField

from app.common.forms import StripWhitespaceForm
from app.models import NoticeFrequency


class NoticeSettingsForm(StripWhitespaceForm):
    frequency = RadioField(
        "How should we email you when something needs you?", widget=GovRadioInput(), validate_choice=False,
        choices={f.value: f.label for f in NoticeFrequency})
    submit = SubmitField("Save", widget=GovSubmitInput())
