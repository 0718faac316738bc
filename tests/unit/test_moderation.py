"""QA moderation, consent and the programme lead's counts, as plain service calls."""
from __future__ import annotations

import pytest

from app.common.errors import DomainError
from app.dashboard.small_counts import NO_CLUSTER, Views, disclose
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import EvaluationStatus, Role
from app.self_evaluations.consent import set_sharing
from app.self_evaluations.moderation import assign_qa_expert, record_moderation, respond_to_flag
from app.self_evaluations.service import evaluation_page, save_area, start_self_evaluation, submit_self_evaluation
from app.self_evaluations.summary import year_summary
from tests.factories import enrol, make_programme, make_school, make_user, make_year


@pytest.fixture
def year(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    return make_year(programme)


def submitted_evaluation(year, level=3):
    [school] = enrol(year, make_school())
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": level})
    submit_self_evaluation(evaluation, make_user())
    db.session.commit()
    return evaluation


def suppress(counts: dict[int, int]) -> dict[int, int | None]:
    """One row of counts on its own (a year of one view), as small_counts shows it."""
    places = {(key, number): (NO_CLUSTER, "other") for key, count in counts.items() for number in range(count)}
    figures = {("row", key): {(key, number): 1 for number in range(count)} for key, count in counts.items()}
    shown = disclose(Views(places), figures, [[("row", key) for key in counts]])
    return {key: shown.count(("row", key), Views.ALL) for key in counts}


@pytest.mark.parametrize(("counts", "shown"), [
    ({1: 0, 2: 5, 3: 4, 4: 3, 0: 0}, {1: 0, 2: 5, 3: 4, 4: 3, 0: 0}),  # nothing small
    # a lone 2, and the smallest count that is not 0 (hiding a 0 would still leave "2 schools" to work out)
    ({1: 2, 2: 5, 3: 4, 4: 3, 0: 0}, {1: None, 2: 5, 3: 4, 4: None, 0: 0}),
    # two hidden that add up to 2 are a small count too: one more is hidden
    ({1: 1, 2: 1, 3: 4, 4: 3, 0: 0}, {1: None, 2: None, 3: 4, 4: None, 0: 0}),
    ({1: 0, 2: 0, 3: 0, 4: 0, 0: 0}, {1: 0, 2: 0, 3: 0, 4: 0, 0: 0}),
])
def test_counts_of_one_or_two_schools_are_hidden_and_cannot_be_worked_out(counts, shown):
    assert suppress(counts) == shown


def test_the_summary_counts_only_submitted_self_evaluations(year):
    for _ in range(3):
        submitted_evaluation(year, level=2)
    [draft_school] = enrol(year, make_school())
    draft = start_self_evaluation(draft_school, year)
    save_area(draft.ratings[0], 1, {"level": 4})
    db.session.commit()
    summary = year_summary(year)
    assert summary.submitted == 3 and summary.enough
    assert summary.areas[0].counts == {1: 0, 2: 3, 3: 0, 4: 0, 0: 0}


def test_a_qa_expert_must_hold_the_role_in_the_programme(year):
    [school] = enrol(year, make_school())
    with pytest.raises(DomainError, match="Choose a QA expert from the list"):
        assign_qa_expert(year, school, make_user(Role.QA_EXPERT, programme=make_programme()).id)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    assert assign_qa_expert(year, school, expert.id).expert_id == expert.id


def test_a_qa_expert_needs_the_school_to_be_in_the_year(year):
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    with pytest.raises(DomainError, match="is not taking part"):
        assign_qa_expert(year, make_school(), expert.id)


def test_moderation_keeps_the_schools_rating_and_flags_big_gaps(year):
    evaluation = submitted_evaluation(year, level=4)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    assign_qa_expert(year, evaluation.school, expert.id)
    page = evaluation_page(evaluation.id)
    record_moderation(page, expert, {1: (4, ""), 2: (2, "Less secure than described"), 3: (3, "")})
    db.session.commit()
    page = evaluation_page(evaluation.id)
    assert [row.flagged for row in page.rows[:4]] == [False, True, False, False]
    assert all(row.rating.level == 4 for row in page.rows)
    with pytest.raises(DomainError, match="Only flagged areas"):
        respond_to_flag(page, 3, "Not needed", make_user())
    respond_to_flag(page, 2, "We will gather more evidence", make_user())
    assert page.row(2).moderated.school_response == "We will gather more evidence"


def test_moderation_is_refused_for_drafts_other_experts_and_levels_off_the_scale(year):
    [school] = enrol(year, make_school())
    draft = start_self_evaluation(school, year)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    assign_qa_expert(year, school, expert.id)
    with pytest.raises(DomainError, match="has not submitted"):
        record_moderation(evaluation_page(draft.id), expert, {1: (3, "")})
    evaluation = submitted_evaluation(year)
    assign_qa_expert(year, evaluation.school, expert.id)
    other = make_user(Role.QA_EXPERT, programme=year.programme)
    with pytest.raises(DomainError, match="Only the school's QA expert"):
        record_moderation(evaluation_page(evaluation.id), other, {1: (3, "")})
    with pytest.raises(DomainError, match="Choose a moderated rating for area 2 from the scale") as refused:
        record_moderation(evaluation_page(evaluation.id), expert, {1: (3, ""), 2: (9, ""), 4: (0, "")})
    assert [(problem.field, problem.message) for problem in refused.value.problems] == [  # every one, not the first
        ("level_2", "Choose a moderated rating for area 2 from the scale"),
        ("level_4", "Choose a moderated rating for area 4 from the scale")]
    assert evaluation_page(evaluation.id).row(1).moderated is None  # nothing half-saved


def test_sharing_is_per_school_and_year_and_can_be_withdrawn(year):
    evaluation = submitted_evaluation(year)
    assert set_sharing(evaluation.school, year, True) is True
    assert set_sharing(evaluation.school, year, True) is False  # no change, nothing written
    assert set_sharing(evaluation.school, year, False) is True
    with pytest.raises(DomainError, match="is not taking part"):
        set_sharing(make_school(), year, True)


def test_a_closed_year_takes_no_new_self_evaluations_and_no_changes(year):
    [school] = enrol(year, make_school())
    evaluation = start_self_evaluation(school, year)
    year.is_closed = True
    db.session.commit()
    with pytest.raises(DomainError, match="is closed"):
        save_area(evaluation.ratings[0], 1, {"level": 2})
    [late] = enrol(year, make_school())
    with pytest.raises(DomainError, match="is closed"):
        start_self_evaluation(late, year)


def test_carry_forward_drops_a_level_the_new_scale_no_longer_has(year):
    from app.models import ScaleLevel

    evaluation = submitted_evaluation(year, level=4)
    next_year = make_year(year.programme, start_year=year.start_year + 1)
    enrol(next_year, evaluation.school)
    # The lead's new version has three levels.
    from app.frameworks.service import editable_framework

    framework = editable_framework(year.programme)
    level_four = next(level for level in framework.scale if level.value == 4)
    framework.scale.remove(level_four)
    db.session.commit()
    assert db.session.get(ScaleLevel, level_four.id) is None
    carried = start_self_evaluation(evaluation.school, next_year)
    assert carried.framework_id == framework.id
    assert all(r.level is None and r.carried_forward for r in carried.ratings)
    assert carried.status == EvaluationStatus.DRAFT
