"""Forms for adapting a framework: one area's description and prompts, and the scale's labels."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField

from app.common.forms import StripWhitespaceForm
from app.models import FrameworkArea, ScaleLevel, SettingType


class AreaForm(StripWhitespaceForm):
    description = TextAreaField("Description", widget=GovTextArea())
    mainstream = TextAreaField("Prompt statements for mainstream schools", widget=GovTextArea())
    specialist = TextAreaField("Prompt statements for specialist settings", widget=GovTextArea())
    submit = SubmitField("Save area", widget=GovSubmitInput())

    @classmethod
    def for_area(cls, area: FrameworkArea) -> AreaForm:
        """The form, showing the area as it is until something is posted."""
        def lines(setting: SettingType) -> str:
            return "\n".join(prompt.text for prompt in area.prompts_for(setting))

        return cls(data={"description": area.description, "mainstream": lines(SettingType.MAINSTREAM),
                         "specialist": lines(SettingType.SPECIALIST)})

    def prompts(self, setting: SettingType) -> list[str]:
        """The statements typed for a setting, one a line."""
        return (self[setting.value].data or "").splitlines()


class ScaleForm(StripWhitespaceForm):
    """A label and a description for each level: fields `label_N` and `description_N`, added per scale."""

    @classmethod
    def for_scale(cls, scale: list[ScaleLevel]) -> ScaleForm:
        fields: dict[str, object] = {}
        data: dict[str, str] = {}
        for level in scale:
            fields[f"label_{level.value}"] = StringField("Label", widget=GovTextInput())
            fields[f"description_{level.value}"] = TextAreaField("What it means", widget=GovTextArea())
            data |= {f"label_{level.value}": level.label, f"description_{level.value}": level.description}
        fields["submit"] = SubmitField("Save scale", widget=GovSubmitInput())
        return type("ScaleForm", (cls,), fields)(data=data)

    def labels(self, scale: list[ScaleLevel]) -> dict[int, str]:
        return {level.value: self[f"label_{level.value}"].data for level in scale}

    def descriptions(self, scale: list[ScaleLevel]) -> dict[int, str]:
        return {level.value: self[f"description_{level.value}"].data for level in scale}
