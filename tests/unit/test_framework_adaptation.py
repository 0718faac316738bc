"""Adapting a programme's framework: changed in place until a self-evaluation uses it, then a new version."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import (
    create_default_framework,
    current_framework,
    editable_framework,
    framework_in_use,
    update_area,
    update_scale,
)
from app.models import Framework, FrameworkPrompt, SettingType
from app.self_evaluations.service import start_self_evaluation
from tests.factories import enrol, make_programme, make_school, make_year

LABELS = {1: "Emerging", 2: "Developing", 3: "Established", 4: "Embedded"}


@pytest.fixture
def programme(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    return programme


def started_evaluation(programme):
    year = make_year(programme)
    [school, another] = enrol(year, make_school(), make_school())
    evaluation = start_self_evaluation(school, year)
    db.session.commit()
    return evaluation, another


def prompts(programme, position, setting=SettingType.MAINSTREAM):
    area = current_framework(programme).areas[position - 1]
    return [(p.position, p.text) for p in area.prompts_for(setting)]


def versions(programme) -> int:
    return db.session.scalar(select(func.count()).select_from(Framework).where(Framework.programme_id == programme.id))


def edit_area_1(programme, description="Pupils with SEND achieve well.", mainstream=("New statement",),
                specialist=("Specialist statement",)):
    return update_area(programme, 1, description, list(mainstream), list(specialist))


def descriptions(framework):
    return {level.value: level.description for level in framework.scale}


def test_a_framework_nobody_has_started_on_is_not_in_use(programme):
    assert not framework_in_use(current_framework(programme))


def test_a_framework_a_self_evaluation_was_started_on_is_in_use(programme):
    started_evaluation(programme)
    assert framework_in_use(current_framework(programme))


def test_editing_a_framework_not_in_use_changes_it_in_place(programme):
    before = current_framework(programme)
    framework = edit_area_1(programme)
    assert framework is before and framework.version == 1
    assert versions(programme) == 1
    assert framework.areas[0].description == "Pupils with SEND achieve well."


def test_editing_a_framework_in_use_makes_version_2_and_started_evaluations_keep_version_1(programme):
    evaluation, another_school = started_evaluation(programme)
    framework = edit_area_1(programme)
    db.session.commit()
    assert framework.version == 2 and versions(programme) == 2
    db.session.expire_all()
    assert evaluation.framework.version == 1
    assert evaluation.framework.areas[0].description != "Pupils with SEND achieve well."
    later = start_self_evaluation(another_school, evaluation.year)
    assert later.framework.version == 2
    assert later.framework.areas[0].description == "Pupils with SEND achieve well."


def test_a_new_version_is_a_full_copy_of_the_one_in_use(programme):
    started_evaluation(programme)
    old = current_framework(programme)
    new = editable_framework(programme)
    assert new.version == old.version + 1 and new.name == old.name
    assert [(a.position, a.title) for a in new.areas] == [(a.position, a.title) for a in old.areas]
    assert [(p.setting_type, p.position, p.text) for p in new.areas[3].prompts] == \
           [(p.setting_type, p.position, p.text) for p in old.areas[3].prompts]
    assert [(s.value, s.label, s.description) for s in new.scale] == \
           [(s.value, s.label, s.description) for s in old.scale]


def test_a_second_edit_to_the_new_version_does_not_make_a_third(programme):
    started_evaluation(programme)
    edit_area_1(programme)
    framework = edit_area_1(programme, description="Changed again.")
    assert framework.version == 2 and versions(programme) == 2


def test_prompts_are_replaced_and_numbered_from_1_ignoring_blank_lines(programme):
    edit_area_1(programme, mainstream=["  First  ", "", "Second", "   "])
    db.session.commit()
    db.session.expire_all()
    assert prompts(programme, 1) == [(1, "First"), (2, "Second")]
    assert prompts(programme, 1, SettingType.SPECIALIST) == [(1, "Specialist statement")]


def test_reordering_prompts_keeps_each_position_unique(programme):
    texts = [text for _, text in prompts(programme, 2)]
    update_area(programme, 2, "Leadership.", list(reversed(texts)), ["One"])
    db.session.commit()
    db.session.expire_all()
    assert prompts(programme, 2) == list(enumerate(reversed(texts), start=1))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"description": "  "}, "description", "Enter a description of the area"),
    ({"mainstream": ["", " "]}, "mainstream", "Enter at least one prompt statement for mainstream schools"),
    ({"specialist": []}, "specialist", "Enter at least one prompt statement for specialist settings"),
    ({"mainstream": [f"Statement {n}" for n in range(11)]}, "mainstream",
     "Enter no more than 10 prompt statements for mainstream schools"),
    ({"specialist": ["x" * 501]}, "specialist",
     "Each prompt statement for specialist settings must be 500 characters or fewer"),
])
def test_an_invalid_area_is_refused_and_nothing_is_written(programme, changes, field, message):
    started_evaluation(programme)
    before = prompts(programme, 1)
    with pytest.raises(DomainError) as error:
        edit_area_1(programme, **changes)
    assert (error.value.field, error.value.message) == (field, message)
    assert not db.session.new and not db.session.dirty
    assert versions(programme) == 1 and prompts(programme, 1) == before


def test_saving_an_area_unchanged_writes_nothing_and_makes_no_version(programme):
    started_evaluation(programme)
    area = current_framework(programme).areas[0]
    framework = update_area(programme, 1, area.description,
                            [p.text for p in area.prompts_for(SettingType.MAINSTREAM)],
                            [p.text for p in area.prompts_for(SettingType.SPECIALIST)])
    assert not db.session.new and not db.session.dirty and not db.session.deleted
    assert framework.version == 1 and versions(programme) == 1


def test_changing_only_the_description_keeps_the_prompt_rows(programme):
    area = current_framework(programme).areas[0]
    ids = {p.id for p in area.prompts}
    update_area(programme, 1, "Only this changed.", [p.text for p in area.prompts_for(SettingType.MAINSTREAM)],
                [p.text for p in area.prompts_for(SettingType.SPECIALIST)])
    db.session.commit()
    assert set(db.session.scalars(select(FrameworkPrompt.id).where(FrameworkPrompt.area_id == area.id))) == ids


def test_the_scale_labels_and_descriptions_can_be_changed(programme):
    framework = update_scale(programme, {**LABELS, 1: "Starting"}, {1: "Just beginning."})
    assert [level.label for level in framework.scale] == ["Starting", "Developing", "Established", "Embedded"]
    assert descriptions(framework)[1] == "Just beginning." and descriptions(framework)[2] == ""


def test_changing_the_scale_in_use_makes_a_new_version(programme):
    evaluation, _ = started_evaluation(programme)
    old = descriptions(current_framework(programme))
    framework = update_scale(programme, {**LABELS, 4: "Leading"}, old)
    assert framework.version == 2 and framework.scale[3].label == "Leading"
    assert evaluation.framework.scale[3].label == "Embedded"


def test_saving_the_scale_unchanged_writes_nothing(programme):
    started_evaluation(programme)
    framework = update_scale(programme, LABELS, descriptions(current_framework(programme)))
    assert not db.session.new and not db.session.dirty
    assert framework.version == 1 and versions(programme) == 1


@pytest.mark.parametrize(("labels", "field", "message"), [
    ({**LABELS, 3: " "}, "label_3", "Enter a label for level 3"),
    ({**LABELS, 2: "x" * 61}, "label_2", "The label for level 2 must be 60 characters or fewer"),
    ({**LABELS, 4: "emerging"}, "label_4", "Each level needs a different label"),
])
def test_an_invalid_scale_is_refused_and_nothing_is_written(programme, labels, field, message):
    with pytest.raises(DomainError) as error:
        update_scale(programme, labels, {})
    assert (error.value.field, error.value.message) == (field, message)
    assert not db.session.dirty
    assert [level.label for level in current_framework(programme).scale] == list(LABELS.values())
