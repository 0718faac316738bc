"""A programme's framework: its first copy of the default, and finding the version in use."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Framework, FrameworkArea, FrameworkPrompt, Programme, ScaleLevel, SettingType
from app.services.framework_content import DEFAULT_AREAS, DEFAULT_NAME, DEFAULT_SCALE


def create_default_framework(programme: Programme) -> Framework:
    """Version 1 of a programme's framework: a copy of the default areas, prompts and scale."""
    framework = Framework(programme=programme, version=1, name=DEFAULT_NAME)
    for value, label, description in DEFAULT_SCALE:
        framework.scale.append(ScaleLevel(value=value, label=label, description=description))
    for position, content in enumerate(DEFAULT_AREAS, start=1):
        area = FrameworkArea(position=position, title=content.title, description=content.description)
        for setting_type, prompts in ((SettingType.MAINSTREAM, content.mainstream),
                                      (SettingType.SPECIALIST, content.specialist)):
            for number, text in enumerate(prompts, start=1):
                area.prompts.append(FrameworkPrompt(setting_type=setting_type, position=number, text=text))
        framework.areas.append(area)
    db.session.add(framework)
    return framework


def current_framework(programme: Programme) -> Framework | None:
    """The newest version of the programme's framework, with its areas, prompts and scale loaded."""
    return db.session.scalar(
        select(Framework).where(Framework.programme_id == programme.id)
        .options(selectinload(Framework.areas).selectinload(FrameworkArea.prompts), selectinload(Framework.scale))
        .order_by(Framework.version.desc())
        .limit(1)
    )
