"""Action plan rules as service calls: checks before saving, versions, progress, overdue, owners who
left, completion and comparing versions."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.action_plans.progress import completion, is_overdue
from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    finalise_plan,
    owner_has_left,
    record_progress,
    remove_action,
    save_action,
    staff_of,
    start_action_plan,
    suggestions_for,
)
from app.action_plans.versions import compare_versions, snapshot
from app.common import clock
from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Action, ActionStatus, PlanStatus, ProgressUpdate, Role
from app.self_evaluations.service import save_area, start_self_evaluation
from tests.factories import enrol, make_programme, make_school, make_user, make_year


@pytest.fixture
def plan(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    [school] = enrol(year, make_school())
    return start_action_plan(school, year)


def given(plan, areas=(1,), owner=OTHER_OWNER, owner_name="Jo Smith", due_on=date(2026, 3, 27), invalid=False,
          description="Train staff in adaptive teaching", criteria="Every class teacher trained by Easter"):
    ids = [a.id for a in areas_for(plan) if a.position in areas]
    return ActionInput(ids, description, owner, owner_name, due_on, invalid, criteria)


def add(plan, **changes):
    return save_action(plan, None, given(plan, **changes), areas_for(plan), staff_of(plan.school_id))


def actions_count():
    return db.session.scalar(select(func.count()).select_from(Action))


@pytest.mark.parametrize(("changes", "message"), [
    ({"areas": ()}, "Choose at least one area"),
    ({"description": "  "}, "Enter what will be done"),
    ({"owner": ""}, "Choose who owns this action"),
    ({"owner_name": ""}, "Enter the name of the person who owns this action"),
    ({"due_on": None}, "Enter a due date"),
    ({"due_on": None, "invalid": True}, "The due date must be a real date"),
    ({"criteria": ""}, "Enter the success criteria"),
])
def test_an_action_missing_something_is_refused_and_nothing_is_saved(plan, changes, message):
    with pytest.raises(DomainError, match=message):
        add(plan, **changes)
    assert actions_count() == 0


def test_an_owner_can_be_a_member_of_staff_with_an_account(plan):
    senco = make_user(Role.SENCO, school=plan.school, name="Sam Senco")
    action = add(plan, owner=str(senco.id), owner_name="")
    assert (action.owner_id, action.owner_name) == (senco.id, "")
    stranger = make_user(Role.SENCO, school=make_school())
    with pytest.raises(DomainError, match="Choose who owns this action"):
        add(plan, owner=str(stranger.id), owner_name="")


def test_finalising_records_who_and_when_and_keeps_the_version(plan):
    add(plan)
    head = make_user(Role.HEAD, school=plan.school, name="Hana Head")
    version = finalise_plan(plan, head)
    assert (plan.status, plan.version, version.number, version.finalised_by_id) == (PlanStatus.FINALISED, 1, 1, head.id)
    assert version.content[0]["description"] == "Train staff in adaptive teaching"


def test_only_the_head_finalises_and_not_an_empty_plan(plan):
    with pytest.raises(DomainError, match="Add at least one action"):
        finalise_plan(plan, make_user(Role.HEAD, school=plan.school))
    add(plan)
    with pytest.raises(DomainError, match="Only the school's headteacher"):
        finalise_plan(plan, make_user(Role.SENCO, school=plan.school))


def test_editing_a_finalised_plan_starts_version_2_and_version_1_stays_as_it_was(plan):
    action = add(plan)
    head = make_user(Role.HEAD, school=plan.school)
    finalise_plan(plan, head)
    save_action(plan, action, given(plan, description="Train staff and teaching assistants"), areas_for(plan), [])
    assert (plan.status, plan.version) == (PlanStatus.DRAFT, 2)
    assert plan.versions[0].content[0]["description"] == "Train staff in adaptive teaching"
    # More edits stay in version 2.
    add(plan, description="Audit the provision map")
    assert plan.version == 2
    second = finalise_plan(plan, head)
    changes = compare_versions(plan.versions[0].content, second.content)
    assert [(c.number, c.kind) for c in changes] == [(1, "changed"), (2, "added")]
    assert changes[0].fields == [("What will be done", "Train staff in adaptive teaching",
                                  "Train staff and teaching assistants")]


def test_saving_without_a_change_makes_no_new_version(plan):
    action = add(plan)
    finalise_plan(plan, make_user(Role.HEAD, school=plan.school))
    save_action(plan, action, given(plan), areas_for(plan), [])
    assert (plan.status, plan.version) == (PlanStatus.FINALISED, 1)


def test_removing_an_action_from_a_finalised_plan_is_a_new_version(plan):
    first, second = add(plan), add(plan, description="Second")
    finalise_plan(plan, make_user(Role.HEAD, school=plan.school))
    remove_action(plan, second)
    assert (plan.version, [a.number for a in plan.actions]) == (2, [first.number])
    assert [c.kind for c in compare_versions(plan.versions[0].content, snapshot(plan.actions))] == ["removed"]


def test_progress_notes_change_the_status_and_the_history_stays(plan):
    action = add(plan)
    author = make_user(Role.SENCO, school=plan.school)
    with pytest.raises(DomainError, match="Enter a note"):
        record_progress(action, "on_track", " ", None, author)
    with pytest.raises(DomainError, match="Choose the action's status"):
        record_progress(action, "finished", "Done", None, author)
    record_progress(action, "on_track", "Half the staff trained", date(2025, 11, 20), author)
    record_progress(action, "complete", "Everyone trained", date(2026, 2, 5), author)
    assert action.status == ActionStatus.COMPLETE
    assert [(u.status, u.note) for u in action.updates] == [
        (ActionStatus.ON_TRACK, "Half the staff trained"), (ActionStatus.COMPLETE, "Everyone trained")]
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 2


def test_an_action_past_its_due_date_and_not_complete_is_overdue(plan):
    action = add(plan, due_on=date(2026, 1, 31))
    assert not is_overdue(action, date(2026, 1, 31))
    assert is_overdue(action, date(2026, 2, 1))
    action.status = ActionStatus.COMPLETE
    assert not is_overdue(action, date(2026, 2, 1))


def test_an_owner_who_leaves_is_flagged_and_their_past_entries_keep_their_name(plan):
    senco = make_user(Role.SENCO, school=plan.school, name="Sam Senco")
    action = add(plan, owner=str(senco.id), owner_name="")
    record_progress(action, "on_track", "Started", None, senco)
    assert not owner_has_left(action, plan.school_id)
    senco.active = False
    db.session.commit()
    assert owner_has_left(action, plan.school_id)
    assert action.updates[0].author.name == "Sam Senco"
    senco.active = True
    senco.roles.clear()  # moved to another school
    db.session.commit()
    assert owner_has_left(action, plan.school_id)
    # Reassigning clears the flag.
    save_action(plan, action, given(plan, owner=OTHER_OWNER, owner_name="Pat New"), areas_for(plan), [])
    assert not owner_has_left(action, plan.school_id)


def test_completion_figures(plan):
    for n in range(9):
        action = add(plan, description=f"Action {n}")
        if n < 5:
            action.status = ActionStatus.COMPLETE
    figures = completion(plan.actions)
    assert (figures.complete, figures.total, figures.percent, str(figures)) == (
        5, 9, 56, "5 of 9 actions complete (56%)")


def test_the_plan_suggests_the_lowest_rated_areas_and_qa_flags(plan):
    evaluation = start_self_evaluation(plan.school, plan.year)
    levels = [3, 1, 4, 2, 3, 2, 4, 4]
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": levels[rating.area.position - 1]})
    db.session.commit()
    suggested = [s.area.position for s in suggestions_for(plan)]
    assert suggested == [2, 4, 6]  # level 1, then the two at level 2


def test_a_closed_year_takes_no_changes(plan):
    action = add(plan)
    plan.year.is_closed = True
    db.session.commit()
    with pytest.raises(DomainError, match="is closed"):
        add(plan)
    with pytest.raises(DomainError, match="is closed"):
        record_progress(action, "on_track", "Note", None, make_user())


def test_overdue_uses_today_by_default(plan):
    action = add(plan, due_on=clock.today() - timedelta(days=1))
    assert is_overdue(action, clock.today())


def test_a_school_has_one_plan_a_year(plan):
    from sqlalchemy.exc import IntegrityError

    from app.models import ActionPlan

    assert start_action_plan(plan.school, plan.year) is plan
    db.session.add(ActionPlan(school_id=plan.school_id, year_id=plan.year_id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_plan_needs_the_school_to_take_part_in_the_year(plan):
    with pytest.raises(DomainError, match="is not taking part"):
        start_action_plan(make_school(), plan.year)
