"""The dashboard's filters: a GET form, so a filtered view can be bookmarked and shared."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField

from app.common.forms import StripWhitespaceForm
from app.dashboard.facts import PHASES


class FilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # it only reads

    cluster = SelectField("Cluster", widget=GovSelect(), validate_choice=False, choices={})
    phase = SelectField("Phase", widget=GovSelect(), validate_choice=False,
                        choices={"": "All phases", **PHASES})
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def offer(self, clusters) -> None:
        self.cluster.choices = {"": "All clusters", **{str(c.id): c.name for c in clusters}}
