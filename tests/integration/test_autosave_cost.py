"""What an autosave costs and answers: it loads the one rating it writes (not the self-evaluation
page), writes it with its audit record, and answers with the new version, in the same few SQL
statements however big the self-evaluation; and every rule of the Save button still holds."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AreaRating,
    AuditEvent,
    Enrolment,
    Framework,
    FrameworkArea,
    FrameworkPrompt,
    ProgrammeYear,
    Role,
    ScaleLevel,
    School,
    SelfEvaluation,
    SettingType,
    User,
)
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.factories import enrol, make_programme, make_school, make_user, make_year

# The signed-in user with their roles (1), the self-evaluation the permission is checked on (1), the
# rating with its year and the scale's values (1), the version-checked UPDATE and its audit INSERT (2).
AUTOSAVE_STATEMENTS = 5


def framework_of(programme, *, areas: int, prompts: int, levels: int) -> Framework:
    """A framework with this many areas, prompts per area and setting, and levels on its scale."""
    framework = Framework(programme=programme, version=1, name="Test framework")
    framework.scale.extend(ScaleLevel(value=value, label=f"Level {value}") for value in range(1, levels + 1))
    for position in range(1, areas + 1):
        area = FrameworkArea(position=position, title=f"Area {position}")
        area.prompts.extend(FrameworkPrompt(setting_type=setting, position=number, text=f"Prompt {number} " * 20)
                            for number in range(1, prompts + 1) for setting in SettingType)
        framework.areas.append(area)
    db.session.add(framework)
    db.session.commit()
    return framework


def scene_with(*, areas: int = 8, prompts: int = 6, levels: int = 4, schools: int = 1) -> SimpleNamespace:
    """A draft self-evaluation on a framework of this size, and the ids of it, its year, its SENCo and
    head; with `schools` above 1, other schools' self-evaluations beside it, every area written."""
    programme = make_programme()
    framework_of(programme, areas=areas, prompts=prompts, levels=levels)
    year = make_year(programme)
    school, *others = enrol(year, *(make_school() for _ in range(schools)))
    evaluation = start_self_evaluation(school, year)
    for other in others:
        for rating in start_self_evaluation(other, year).ratings:
            rating.evidence = "Another school's evidence. " * 50
    db.session.commit()
    return SimpleNamespace(year_id=year.id, year_label=year.label, evaluation=evaluation.id, school_id=school.id,
                           senco=make_user(Role.SENCO, school=school).id, head=make_user(Role.HEAD, school=school).id)


def sign_in(client_request, user_id) -> None:
    client_request.sign_in(db.session.get(User, user_id))


def answers(level="3", version=1, **texts) -> dict:
    return {"level": level, "version": str(version), "not_evaluated_reason": "", "evidence": "", "strengths": "",
            "development": "", **texts}


def autosave(client_request, evaluation_id, position: int, form: dict):
    """Post an autosave as the page's script does, as a fresh request: the test's session (which the
    request shares) emptied first, so nothing is already loaded."""
    token = client_request.csrf_token("self_evaluations.show", evaluation_id=evaluation_id)
    db.session.commit()
    db.session.expunge_all()
    url = client_request.url("self_evaluations.autosave", evaluation_id=evaluation_id, position=position)
    response = client_request.client.post(url, data={"csrf_token": token, **form})
    client_request.last_statements = int(response.headers.get("X-SQL-Statements", "0"))
    return response


def rating_at(evaluation_id, position: int) -> AreaRating:
    db.session.expire_all()
    return db.session.scalars(select(AreaRating).join(FrameworkArea, FrameworkArea.id == AreaRating.area_id).where(
        AreaRating.self_evaluation_id == evaluation_id, FrameworkArea.position == position)).one()


@pytest.mark.parametrize("size", [dict(areas=2, prompts=0, levels=2),
                                  dict(areas=8, prompts=30, levels=5, schools=4),
                                  dict(areas=16, prompts=30, levels=10, schools=4)],
                         ids=["2 areas, no prompts", "8 areas, many prompts", "16 areas, many prompts"])
def test_an_autosave_takes_the_same_few_statements_however_big_the_self_evaluation(client_request, session, size):
    scene = scene_with(**size)
    sign_in(client_request, scene.senco)
    last = size["areas"]
    counts = []
    for version, position in ((1, 1), (2, 1), (1, last)):
        response = autosave(client_request, scene.evaluation, position,
                            answers(level="2", version=version, evidence=f"Typed so far, version {version}"))
        assert response.status_code == 200, response.get_data(as_text=True)
        counts.append(client_request.last_statements)
    assert counts == [AUTOSAVE_STATEMENTS] * 3


def test_an_autosave_stores_the_text_records_it_and_answers_with_the_new_version(client_request, session):
    scene = scene_with()
    sign_in(client_request, scene.senco)
    first = autosave(client_request, scene.evaluation, 2, answers(
        level="4", evidence="Provision map reviewed termly", strengths="EHCP reviews", development="Transition"))
    assert first.status_code == 200
    assert first.json["version"] == 2 and first.json["saved_at"]
    assert set(first.json) == {"version", "saved_at"}
    rating = rating_at(scene.evaluation, 2)
    assert (rating.level, rating.evidence, rating.strengths, rating.development, rating.version) == (
        4, "Provision map reviewed termly", "EHCP reviews", "Transition", 2)
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == rating.id,
                                                        AuditEvent.action == "update")).all()
    assert len(audit) == 1 and audit[0].actor_id == scene.senco
    assert audit[0].changes["evidence"] == {"from": "", "to": "Provision map reviewed termly"}
    second = autosave(client_request, scene.evaluation, 2, answers(level="none", version=2, evidence="Rewritten"))
    assert second.status_code == 200 and second.json["version"] == 3
    rating = rating_at(scene.evaluation, 2)
    assert (rating.level, rating.not_evaluated_reason, rating.evidence, rating.version) == (None, "", "Rewritten", 3)
    assert rating_at(scene.evaluation, 1).version == 1  # the other areas are untouched


def test_an_autosave_from_an_out_of_date_page_is_a_conflict_and_writes_nothing(client_request, session):
    scene = scene_with()
    save_area(rating_at(scene.evaluation, 1), 1, {"evidence": "The head's text"})
    db.session.commit()
    sign_in(client_request, scene.senco)
    response = autosave(client_request, scene.evaluation, 1, answers(evidence="The SENCo's text"))
    assert response.status_code == 409
    assert response.json == {"conflict": True, "message": "Someone else saved this area while you were editing it. "
                                                          "Choose which text to keep."}
    rating = rating_at(scene.evaluation, 1)
    assert (rating.evidence, rating.version) == ("The head's text", 2)


def test_an_autosave_of_a_level_off_the_scale_is_refused(client_request, session):
    scene = scene_with(levels=4)
    sign_in(client_request, scene.senco)
    for level in ("5", "0", "three"):
        response = autosave(client_request, scene.evaluation, 1, answers(level=level, evidence="Not kept"))
        assert response.status_code == 422 and response.json == {"message": "Choose a rating from the scale"}
    rating = rating_at(scene.evaluation, 1)
    assert (rating.level, rating.evidence, rating.version) == (None, "", 1)


def test_an_autosave_to_a_submitted_self_evaluation_says_who_can_reopen_it(client_request, session):
    scene = scene_with(areas=2)
    evaluation = db.session.get(SelfEvaluation, scene.evaluation)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 3})
    submit_self_evaluation(evaluation, db.session.get(User, scene.senco))
    db.session.commit()
    for person in (scene.senco, scene.head):  # the Save button tells the head they can reopen it; autosave never did
        sign_in(client_request, person)
        response = autosave(client_request, scene.evaluation, 1, answers(version=2, evidence="Too late"))
        assert response.status_code == 422
        assert response.json == {"message": "This self-evaluation has been submitted, so it can no longer be changed. "
                                            "Your headteacher can reopen it."}
    assert rating_at(scene.evaluation, 1).evidence == ""


def test_an_autosave_in_a_closed_year_is_refused(client_request, session):
    scene = scene_with(areas=2)
    db.session.get(ProgrammeYear, scene.year_id).is_closed = True
    db.session.commit()
    sign_in(client_request, scene.senco)
    response = autosave(client_request, scene.evaluation, 1, answers(evidence="Too late"))
    assert response.status_code == 422
    assert response.json == {"message": f"{scene.year_label} is closed, so its self-evaluations can no longer "
                                        "be changed"}
    assert rating_at(scene.evaluation, 1).evidence == ""


def test_an_autosave_of_an_area_the_framework_does_not_have_is_not_found(client_request, session):
    scene = scene_with(areas=2)
    sign_in(client_request, scene.senco)
    assert autosave(client_request, scene.evaluation, 3, answers()).status_code == 404


def test_an_autosave_from_a_page_without_its_version_is_refused(client_request, session):
    scene = scene_with(areas=2)
    sign_in(client_request, scene.senco)
    form = answers(evidence="Not kept")
    del form["version"]
    response = autosave(client_request, scene.evaluation, 1, form)
    assert response.status_code == 400
    assert response.json == {"message": "The page is out of date. Reload it to carry on."}
    assert rating_at(scene.evaluation, 1).version == 1


def test_an_autosave_is_only_for_the_schools_own_staff(client_request, session):
    scene = scene_with(areas=2, schools=2)
    other_school = db.session.scalar(select(Enrolment.school_id).where(Enrolment.year_id == scene.year_id,
                                                                       Enrolment.school_id != scene.school_id))
    sign_in(client_request, scene.senco)
    token = client_request.csrf_token("self_evaluations.area", evaluation_id=scene.evaluation, position=1)
    client_request.sign_in(make_user(Role.SENCO, school=db.session.get(School, other_school)))
    url = client_request.url("self_evaluations.autosave", evaluation_id=scene.evaluation, position=1)
    response = client_request.client.post(url, data={"csrf_token": token, **answers(evidence="Not theirs")})
    assert response.status_code == 403
    assert rating_at(scene.evaluation, 1).evidence == ""
