"""A programme's framework: its first copy of the default, finding the current version, and adapting it."""
from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.common.errors import DomainError, checked_together, raise_all
from app.extensions import db
from app.frameworks.content import DEFAULT_AREAS, DEFAULT_NAME, DEFAULT_SCALE
from app.models import Framework, FrameworkArea, FrameworkPrompt, Programme, ScaleLevel, SelfEvaluation, SettingType


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


def current_areas(programme: Programme) -> list[FrameworkArea]:
    """The areas of the programme's current framework, in order (none before it has one)."""
    framework = current_framework(programme)
    return list(framework.areas) if framework else []


def areas_of(framework_id: uuid.UUID) -> list[FrameworkArea]:
    """The areas of one framework version, in order."""
    return list(db.session.scalars(
        select(FrameworkArea).where(FrameworkArea.framework_id == framework_id).order_by(FrameworkArea.position)))


# Adapting the framework. Self-evaluations point at the framework version they were started on,
# so a version in use is never changed: the first change to it makes a copy as the next version.

MAX_PROMPTS = 10
MAX_PROMPT_LENGTH = 500
MAX_LABEL_LENGTH = 60
SETTING_NAMES = {SettingType.MAINSTREAM: "mainstream schools", SettingType.SPECIALIST: "specialist settings"}


def framework_in_use(framework: Framework) -> bool:
    """Has any self-evaluation been started on this version?"""
    return bool(db.session.scalar(select(exists().where(SelfEvaluation.framework_id == framework.id))))


def editable_framework(programme: Programme) -> Framework:
    """The current version if no self-evaluation uses it, otherwise a full copy as the next version."""
    framework = _current_or_error(programme)
    if not framework_in_use(framework):
        return framework
    copy = Framework(programme=programme, version=framework.version + 1, name=framework.name)
    for level in framework.scale:
        copy.scale.append(ScaleLevel(value=level.value, label=level.label, description=level.description))
    for area in framework.areas:
        copy.areas.append(FrameworkArea(
            position=area.position, title=area.title, description=area.description,
            prompts=[FrameworkPrompt(setting_type=p.setting_type, position=p.position, text=p.text)
                     for p in area.prompts],
        ))
    try:
        with db.session.begin_nested():
            db.session.add(copy)
            db.session.flush()
    except IntegrityError as error:  # another lead made the next version at the same moment
        raise DomainError("Someone else changed the framework at the same time. Reload the page and try "
                          "again") from error
    return copy


def find_area(programme: Programme, position: int) -> FrameworkArea | None:
    """The area at `position` in the programme's current framework."""
    framework = current_framework(programme)
    return _area_at(framework, position) if framework else None


def _check_description(description: str) -> None:
    if not description:
        raise DomainError("Enter a description of the area", field="description")


def update_area(programme: Programme, position: int, description: str,
                mainstream: list[str], specialist: list[str]) -> Framework:
    """Change an area's description and prompt statements (not its title: that is the official wording)."""
    description = (description or "").strip()
    _, mainstream_texts, specialist_texts = checked_together(
        lambda: _check_description(description), lambda: _checked_prompts(SettingType.MAINSTREAM, mainstream),
        lambda: _checked_prompts(SettingType.SPECIALIST, specialist))
    prompts = {SettingType.MAINSTREAM: mainstream_texts, SettingType.SPECIALIST: specialist_texts}
    area = _area_in(_current_or_error(programme), position)
    changed = {setting: texts for setting, texts in prompts.items() if _texts(area, setting) != texts}
    if area.description == description and not changed:
        return area.framework

    framework = editable_framework(programme)
    area = _area_in(framework, position)
    area.description = description
    for prompt in [p for p in area.prompts if p.setting_type in changed]:
        area.prompts.remove(prompt)
    db.session.flush()  # the old rows go before the new ones take their (setting, position)
    for setting, texts in changed.items():
        for number, text in enumerate(texts, start=1):
            area.prompts.append(FrameworkPrompt(setting_type=setting, position=number, text=text))
    db.session.flush()
    return framework


def update_scale(programme: Programme, labels: dict[int, str], descriptions: dict[int, str]) -> Framework:
    """Rename the scale's levels and say what each means. The number of levels stays the same. Every level's
    problem is raised at once."""
    current = _current_or_error(programme)
    wanted: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    found: list[DomainError] = []
    for level in current.scale:
        label = (labels.get(level.value) or "").strip()
        if problem := _label_problem(level.value, label, seen):
            found.append(DomainError(problem, field=f"label_{level.value}"))
        seen.add(label.casefold())
        wanted[level.value] = (label, (descriptions.get(level.value) or "").strip())
    raise_all(found)
    if all((level.label, level.description) == wanted[level.value] for level in current.scale):
        return current

    framework = editable_framework(programme)
    for level in framework.scale:
        level.label, level.description = wanted[level.value]
    db.session.flush()
    return framework


def _label_problem(value: int, label: str, seen: set[str]) -> str | None:
    if not label:
        return f"Enter a label for level {value}"
    if len(label) > MAX_LABEL_LENGTH:
        return f"The label for level {value} must be {MAX_LABEL_LENGTH} characters or fewer"
    if label.casefold() in seen:
        return "Each level needs a different label"
    return None


def _current_or_error(programme: Programme) -> Framework:
    framework = current_framework(programme)
    if framework is None:
        raise DomainError("The programme has no framework yet")
    return framework


def _area_at(framework: Framework, position: int) -> FrameworkArea | None:
    return next((area for area in framework.areas if area.position == position), None)


def _area_in(framework: Framework, position: int) -> FrameworkArea:
    area = _area_at(framework, position)
    if area is None:
        raise DomainError(f"The framework has no area {position}")
    return area


def _texts(area: FrameworkArea, setting: SettingType) -> list[str]:
    return [prompt.text for prompt in area.prompts_for(setting)]


def _checked_prompts(setting: SettingType, lines: list[str]) -> list[str]:
    """The prompt statements given, one a line, blank lines ignored."""
    prompts = [line.strip() for line in lines if line and line.strip()]
    name, field = SETTING_NAMES[setting], setting.value
    if not prompts:
        raise DomainError(f"Enter at least one prompt statement for {name}", field=field)
    if len(prompts) > MAX_PROMPTS:
        raise DomainError(f"Enter no more than {MAX_PROMPTS} prompt statements for {name}", field=field)
    if any(len(prompt) > MAX_PROMPT_LENGTH for prompt in prompts):
        raise DomainError(f"Each prompt statement for {name} must be {MAX_PROMPT_LENGTH} characters or fewer",
                          field=field)
    return prompts
