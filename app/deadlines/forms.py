"""The lead's deadlines form: a GOV.UK date input for each kind of deadline, any left blank for none."""
from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from app.common.errors import DomainError
from app.common.forms import DayMonthYearField, StripWhitespaceForm, add_domain_error
from app.models import DeadlineKind


class DeadlinesForm(StripWhitespaceForm):
    # One field per kind, named by its value; the rules (a real date in the academic year) are the service's.
    submitted = DayMonthYearField(DeadlineKind.SUBMITTED.label)
    signed_off = DayMonthYearField(DeadlineKind.SIGNED_OFF.label)
    plans_finalised = DayMonthYearField(DeadlineKind.PLANS_FINALISED.label)
    learnings = DayMonthYearField(DeadlineKind.LEARNINGS.label)
    qa_visits = DayMonthYearField(DeadlineKind.QA_VISITS.label)
    submit = SubmitField("Save deadlines", widget=GovSubmitInput())

    def fields_by_kind(self) -> dict[DeadlineKind, DayMonthYearField]:
        return {kind: getattr(self, kind.value) for kind in DeadlineKind}

    def dates(self) -> dict[DeadlineKind, date | None]:
        return {kind: field.data for kind, field in self.fields_by_kind().items()}

    def invalid_kinds(self) -> set[DeadlineKind]:
        return {kind for kind, field in self.fields_by_kind().items() if field.invalid}

    def fill(self, dates: dict[DeadlineKind, date]) -> None:
        for kind, field in self.fields_by_kind().items():
            field.data = dates.get(kind)

    def show(self, error: DomainError) -> None:
        """A refusal on the fields it names: every date to correct, or one message."""
        add_domain_error(self, error, DeadlineKind.SUBMITTED.value)
