"""Self-evaluation rules: areas saved without lost updates, and submission only when complete."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import AreaRating, EvaluationStatus
from app.self_evaluations.service import (
    VersionConflict,
    incomplete_areas,
    load_self_evaluation,
    save_area,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.factories import enrol, make_programme, make_school, make_user, make_year


@pytest.fixture
def evaluation(session):
    programme = make_programme()
    create_default_framework(programme)
    year = make_year(programme)
    [school] = enrol(year, make_school())
    return start_self_evaluation(school, year)


def by_position(evaluation):
    return sorted(evaluation.ratings, key=lambda r: r.area.position)


def test_a_new_self_evaluation_has_an_empty_rating_for_each_of_the_eight_areas(evaluation):
    assert len(evaluation.ratings) == 8
    assert all(r.level is None and r.version == 1 for r in evaluation.ratings)
    assert evaluation.status == EvaluationStatus.DRAFT


def test_starting_twice_returns_the_same_self_evaluation(evaluation):
    assert start_self_evaluation(evaluation.school, evaluation.year) is evaluation


def test_saving_an_area_keeps_the_text_and_moves_the_version_on(evaluation):
    rating = by_position(evaluation)[0]
    save_area(rating, 1, {"level": 3, "evidence": "Termly pupil progress meetings."})
    db.session.expire_all()
    rating = db.session.get(AreaRating, rating.id)
    assert (rating.level, rating.evidence, rating.version) == (3, "Termly pupil progress meetings.", 2)


def test_a_save_from_an_out_of_date_page_is_a_conflict_showing_both_texts(evaluation):
    rating = by_position(evaluation)[0]
    save_area(rating, 1, {"strengths": "Head's text"})
    with pytest.raises(VersionConflict) as conflict:
        save_area(rating, 1, {"strengths": "SENCo's text"})
    assert conflict.value.theirs["strengths"] == "Head's text"
    assert conflict.value.yours["strengths"] == "SENCo's text"
    assert rating.strengths == "Head's text"


def test_two_saves_racing_past_the_check_lose_nothing():
    """Our save passes its version check on the area as it read it; another process then commits a
    save on its own connection before our write, so only the write's version check can catch it.
    Its own database: the test transaction's one connection could not see another's commit."""
    from sqlalchemy import create_engine

    from tests.databases import migrated_app

    with migrated_app("stale") as app:
        with app.app_context():
            programme = make_programme()
            create_default_framework(programme)
            year = make_year(programme)
            [school] = enrol(year, make_school())
            rating = by_position(start_self_evaluation(school, year))[0]
            db.session().expire_on_commit = False  # keep the area as we read it: version 1
            db.session.commit()
            other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # another process
            with other.begin() as connection:
                connection.execute(update(AreaRating.__table__).where(AreaRating.__table__.c.id == rating.id)
                                   .values(version=2, evidence="Saved by the other tab"))
            other.dispose()
            assert rating.version == 1  # so the check before the write passes
            with pytest.raises(VersionConflict) as conflict:
                save_area(rating, 1, {"evidence": "Saved by this tab"})
            assert conflict.value.theirs["evidence"] == "Saved by the other tab"
            db.session.commit()
            db.session.expire_all()
            assert db.session.get(AreaRating, rating.id).evidence == "Saved by the other tab"


def test_a_level_off_the_scale_is_refused(evaluation):
    with pytest.raises(DomainError, match="Choose a rating from the scale"):
        save_area(by_position(evaluation)[0], 1, {"level": 7})


def test_submitting_lists_the_areas_still_to_do(evaluation):
    ratings = by_position(evaluation)
    for rating in ratings[:6]:
        save_area(rating, rating.version, {"level": 2})
    save_area(ratings[6], ratings[6].version, {"not_evaluated_reason": "   "})
    with pytest.raises(DomainError) as refused:
        submit_self_evaluation(evaluation, make_user())
    assert refused.value.message.endswith(
        "Still to do: 7. The efficient use of resources; 8. The quality of SEND provision")
    assert evaluation.status == EvaluationStatus.DRAFT


def test_a_complete_self_evaluation_is_submitted_and_then_read_only(evaluation):
    ratings = by_position(evaluation)
    for rating in ratings[:7]:
        save_area(rating, rating.version, {"level": 3})
    save_area(ratings[7], ratings[7].version, {"not_evaluated_reason": "New SENCo in post since January"})
    senco = make_user()
    submit_self_evaluation(evaluation, senco)
    assert incomplete_areas(evaluation) == []
    assert (evaluation.status, evaluation.submitted_by_id) == (EvaluationStatus.SUBMITTED, senco.id)
    with pytest.raises(DomainError, match="can no longer be changed"):
        save_area(ratings[0], ratings[0].version, {"level": 4})


def test_opening_a_self_evaluation_takes_a_fixed_number_of_queries(evaluation):
    from sqlalchemy import event

    evaluation_id = evaluation.id
    db.session.commit()
    db.session.expire_all()
    seen = []
    listener = lambda *args: args[2].startswith("SELECT") and seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        loaded = load_self_evaluation(evaluation_id)
        texts = [p.text for r in loaded.ratings for p in r.area.prompts] + [s.label for s in loaded.framework.scale]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(texts) > 50
    assert len(seen) == 6  # evaluation, ratings, areas, prompts, framework, scale


def complete_and_submit(evaluation):
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 2})
    submit_self_evaluation(evaluation, make_user())


def test_the_head_signs_off_and_the_record_says_who_and_when(evaluation):
    from app.models import Role
    from app.self_evaluations.service import sign_off_self_evaluation

    complete_and_submit(evaluation)
    head = make_user(Role.HEAD, school=evaluation.school)
    sign_off_self_evaluation(evaluation, head)
    assert evaluation.status == EvaluationStatus.SIGNED_OFF
    assert evaluation.signed_off_by_id == head.id and evaluation.signed_off_at is not None


def test_only_the_schools_head_can_sign_off(evaluation):
    from app.models import Role
    from app.self_evaluations.service import sign_off_self_evaluation

    complete_and_submit(evaluation)
    with pytest.raises(DomainError, match="Only the school's headteacher can sign off"):
        sign_off_self_evaluation(evaluation, make_user(Role.SENCO, school=evaluation.school))


def test_reopening_needs_a_reason_and_is_audited(evaluation):
    from sqlalchemy import select

    from app.models import AuditEvent, Role
    from app.self_evaluations.service import reopen_self_evaluation, sign_off_self_evaluation

    complete_and_submit(evaluation)
    head = make_user(Role.HEAD, school=evaluation.school)
    sign_off_self_evaluation(evaluation, head)
    with pytest.raises(DomainError, match="Enter why you are reopening"):
        reopen_self_evaluation(evaluation, head, "  ")
    reopen_self_evaluation(evaluation, head, "QA visit moved a rating")
    db.session.flush()
    assert evaluation.status == EvaluationStatus.DRAFT
    changes = [e.changes for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == evaluation.id, AuditEvent.action == "update"))]
    assert any(c.get("reopened_reason", {}).get("to") == "QA visit moved a rating" for c in changes)
