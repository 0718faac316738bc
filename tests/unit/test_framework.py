"""The default framework: eight areas in the official wording, prompts for both settings, the scale."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.models import Framework, SettingType
from app.programmes.service import create_programme
from tests.factories import make_organisation, make_programme, make_user

OFFICIAL_AREAS = [
    "Outcomes for pupils with SEND",
    "Leadership of SEND",
    "The quality of teaching and learning for pupils with SEND",
    "Working with pupils and parents/carers of pupils with SEND",
    "Assessment and identification",
    "Monitoring, tracking and evaluation",
    "The efficient use of resources",
    "The quality of SEND provision",
]


def test_the_default_framework_has_the_eight_official_areas_in_order(session):
    framework = create_default_framework(make_programme())
    db.session.flush()
    assert [area.title for area in framework.areas] == OFFICIAL_AREAS
    assert [(level.value, level.label) for level in framework.scale] == [
        (1, "Emerging"), (2, "Developing"), (3, "Established"), (4, "Embedded")]


@pytest.mark.parametrize("setting", list(SettingType))
def test_every_area_has_three_to_six_prompts_for_each_setting(session, setting):
    framework = create_default_framework(make_programme())
    db.session.flush()
    for area in framework.areas:
        prompts = area.prompts_for(setting)
        assert 3 <= len(prompts) <= 6, area.title
        assert [p.position for p in prompts] == list(range(1, len(prompts) + 1))


def test_specialist_prompts_differ_from_mainstream_ones(session):
    framework = create_default_framework(make_programme())
    db.session.flush()
    for area in framework.areas:
        mainstream = {p.text for p in area.prompts_for(SettingType.MAINSTREAM)}
        assert mainstream.isdisjoint(p.text for p in area.prompts_for(SettingType.SPECIALIST))


def test_a_new_programme_starts_with_version_1_of_the_default_framework(session):
    organisation = make_organisation()
    programme = create_programme(organisation, "Riverside Triads", make_user())
    db.session.flush()
    framework = current_framework(programme)
    assert framework.version == 1 and len(framework.areas) == 8


def test_two_frameworks_with_the_same_version_are_refused(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.flush()
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Framework(programme=programme, version=1, name="Copy"))
            db.session.flush()


def test_loading_the_framework_takes_a_fixed_number_of_queries(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    db.session.expire_all()
    programme = db.session.get(type(programme), programme.id)
    seen = []
    listener = lambda *args: args[2].startswith("SELECT") and seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        framework = current_framework(programme)
        prompts = [p.text for area in framework.areas for p in area.prompts] + [s.label for s in framework.scale]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(prompts) > 50
    assert len(seen) == 4  # the framework, its areas, their prompts, the scale
