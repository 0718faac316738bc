"""Self-evaluation pages through real HTTP: completing, conflicts, submitting, signing off, who sees
what (drafts private; peers and the QA expert after submission; the lead only with consent),
moderation, carry-forward and the year-on-year comparison."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import AreaRating, AuditEvent, EvaluationStatus, ModeratedRating, QAVisit, Role, SelfEvaluation
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.factories import enrol, make_programme, make_school, make_triad, make_user, make_year
from tests.pages import error_messages, task_links, task_section, text_of


@pytest.fixture
def scene(session):
    """A triad of three schools (A coaches), a fourth school elsewhere, and the people around them."""
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    triad = make_triad(year)
    a, b, c = (m.school for m in triad.members)
    [outsider] = enrol(year, make_school(name="Far Away Primary"))
    people = SimpleNamespace(
        senco=make_user(Role.SENCO, school=a, name="Sam Senco"),
        head=make_user(Role.HEAD, school=a, name="Hana Head"),
        peer=make_user(Role.SENCO, school=b, name="Pat Peer"),
        outsider=make_user(Role.SENCO, school=outsider, name="Olu Outsider"),
        expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        other_expert=make_user(Role.QA_EXPERT, programme=programme, name="Ola Otherexpert"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
        admin=make_user(Role.ADMIN, name="Ada Admin"),
    )
    evaluation = start_self_evaluation(a, year)
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, triad=triad, school=a, peer_school=b,
                           outsider_school=outsider, evaluation=evaluation, **vars(people))


def ratings(evaluation):
    return sorted(evaluation.ratings, key=lambda r: r.area.position)


def fill(evaluation, level=3):
    for rating in ratings(evaluation):
        save_area(rating, rating.version, {"level": level, "evidence": f"Evidence for area {rating.area.position}"})
    db.session.commit()


def submitted(scene, level=3):
    fill(scene.evaluation, level)
    submit_self_evaluation(scene.evaluation, scene.senco)
    db.session.commit()
    return scene.evaluation


def area_form(level="3", version=1, **texts):
    return {"level": level, "version": str(version), "not_evaluated_reason": "", "evidence": "", "strengths": "",
            "development": "", **texts}


def test_the_senco_starts_a_self_evaluation_from_the_school_page(client_request, session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    [school] = enrol(year, make_school())
    senco = make_user(Role.SENCO, school=school)
    client_request.sign_in(senco)
    page = client_request.get("programmes.school", school_id=school.id)
    assert "Start self-evaluation" in text_of(page)
    response = client_request.post("self_evaluations.start", school_id=school.id, year_id=year.id,
                                   _form_endpoint="programmes.school")
    evaluation = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.school_id == school.id))
    assert response.location.endswith(f"/self-evaluations/{evaluation.id}")
    assert len(evaluation.ratings) == 8


def test_the_overview_lists_every_area_as_a_task_and_the_check_page_every_answer(client_request, scene):
    save_area(ratings(scene.evaluation)[0], 1, {"level": 2})
    db.session.commit()
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert "You have completed 1 of 8 areas" in text_of(page, "#progress")
    assert len(page.select(".govuk-task-list__item")) == 8
    assert not page.select(".govuk-summary-card")  # the answers are on the check page
    page = client_request.get("self_evaluations.answers", evaluation_id=scene.evaluation.id)
    assert len(page.select(".govuk-summary-card")) == 8
    assert "2 Developing" in text_of(page, "#area-1")


def test_saving_an_area_without_javascript_keeps_everything_and_moves_on(client_request, scene):
    client_request.sign_in(scene.senco)
    response = client_request.post(
        "self_evaluations.area", area_form(level="4", evidence="Provision map reviewed termly.", next="continue",
                                           strengths="Strong EHCP reviews", development="Transition to KS3"),
        evaluation_id=scene.evaluation.id, position=1)
    assert response.location.endswith(f"/self-evaluations/{scene.evaluation.id}/areas/2")
    rating = ratings(scene.evaluation)[0]
    db.session.refresh(rating)
    assert (rating.level, rating.evidence, rating.strengths, rating.development, rating.version) == (
        4, "Provision map reviewed termly.", "Strong EHCP reviews", "Transition to KS3", 2)


def test_the_area_page_shows_the_prompts_for_the_schools_setting(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.area", evaluation_id=scene.evaluation.id, position=1)
    area = ratings(scene.evaluation)[0].area
    setting = scene.school.setting_type
    for prompt in area.prompts_for(setting):
        assert prompt.text in text_of(page)
    other = [p for p in area.prompts if p.setting_type != setting]
    assert other and not any(p.text in text_of(page) for p in other)
    assert page.select_one("form[data-autosave-url]") is not None


def test_not_yet_evaluated_needs_a_reason_and_saves_nothing_without_one(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.post("self_evaluations.area", area_form(level="none", evidence="Some notes"),
                               _expected_status=200, evaluation_id=scene.evaluation.id, position=2)
    assert error_messages(page) == ["Enter why this area is not yet evaluated"]
    assert page.select_one("textarea[name=evidence]").text.strip() == "Some notes"
    rating = ratings(scene.evaluation)[1]
    db.session.refresh(rating)
    assert (rating.evidence, rating.version) == ("", 1)


def test_a_rating_off_the_scale_is_refused(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.post("self_evaluations.area", area_form(level="9"), _expected_status=200,
                               evaluation_id=scene.evaluation.id, position=1)
    assert error_messages(page) == ["Choose a rating from the scale"]


def test_autosave_answers_with_the_new_version_and_the_next_autosave_uses_it(client_request, scene):
    client_request.sign_in(scene.senco)
    token = client_request.csrf_token("self_evaluations.area", evaluation_id=scene.evaluation.id, position=3)
    url = client_request.url("self_evaluations.autosave", evaluation_id=scene.evaluation.id, position=3)
    first = client_request.client.post(url, data={"csrf_token": token,
                                                  **area_form(level="", evidence="Half a thought")})
    assert first.status_code == 200 and first.json["version"] == 2
    second = client_request.client.post(url, data={"csrf_token": token, **area_form(
        level="none", version=2, evidence="Half a thought, finished")})
    assert second.status_code == 200 and second.json["version"] == 3
    rating = ratings(scene.evaluation)[2]
    db.session.refresh(rating)
    assert (rating.evidence, rating.level, rating.not_evaluated_reason) == ("Half a thought, finished", None, "")


def test_autosave_from_an_out_of_date_page_is_a_conflict_and_overwrites_nothing(client_request, scene):
    save_area(ratings(scene.evaluation)[0], 1, {"evidence": "The head's text"})
    db.session.commit()
    client_request.sign_in(scene.senco)
    token = client_request.csrf_token("self_evaluations.show", evaluation_id=scene.evaluation.id)
    response = client_request.client.post(
        client_request.url("self_evaluations.autosave", evaluation_id=scene.evaluation.id, position=1),
        data={"csrf_token": token, **area_form(evidence="The SENCo's text")})
    assert response.status_code == 409 and response.json["conflict"] is True
    rating = ratings(scene.evaluation)[0]
    db.session.refresh(rating)
    assert rating.evidence == "The head's text"


def test_two_people_saving_the_same_area_see_both_texts_and_choose(app, client_request, scene):
    """The SENCo and the head open area 1 at version 1; the head saves first."""
    head = app.test_client()
    from tests.pages import ClientRequest

    head_request = ClientRequest(head)
    head_request.sign_in(scene.head)
    client_request.sign_in(scene.senco)
    head_request.post("self_evaluations.area", area_form(level="2", evidence="Head: data from the tracker"),
                      evaluation_id=scene.evaluation.id, position=1)
    page = client_request.post("self_evaluations.area", area_form(level="3", evidence="SENCo: pupil voice survey"),
                               _expected_status=200, evaluation_id=scene.evaluation.id, position=1)
    text = text_of(page)
    assert "Someone else saved area 1" in text
    assert "Head: data from the tracker" in text and "SENCo: pupil voice survey" in text
    rating = ratings(scene.evaluation)[0]
    db.session.refresh(rating)
    assert (rating.level, rating.evidence) == (2, "Head: data from the tracker")  # nothing overwritten
    # Keep the SENCo's evidence and the head's rating.
    form = {field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")}
    form.update({"keep_level": "theirs", "keep_evidence": "yours"})
    response = client_request.client.post(
        client_request.url("self_evaluations.area", evaluation_id=scene.evaluation.id, position=1), data=form)
    assert response.status_code == 302
    db.session.refresh(rating)
    assert (rating.level, rating.evidence, rating.version) == (2, "SENCo: pupil voice survey", 3)


def test_submitting_an_incomplete_self_evaluation_lists_the_areas_left(client_request, scene):
    for rating in ratings(scene.evaluation)[:6]:
        save_area(rating, rating.version, {"level": 2})
    db.session.commit()
    client_request.sign_in(scene.senco)
    page = client_request.post("self_evaluations.submit", _expected_status=200, _form_endpoint="self_evaluations.show",
                               evaluation_id=scene.evaluation.id)
    assert error_messages(page) == [
        "Rate area 7, The efficient use of resources, or mark it not yet evaluated with a reason",
        "Rate area 8, The quality of SEND provision, or mark it not yet evaluated with a reason",
    ]
    assert page.title.text.startswith("Error:")
    db.session.refresh(scene.evaluation)
    assert scene.evaluation.status == EvaluationStatus.DRAFT


def test_submit_then_sign_off_records_who_and_when_and_is_read_only(client_request, scene):
    fill(scene.evaluation)
    client_request.sign_in(scene.senco)
    client_request.post("self_evaluations.submit", _form_endpoint="self_evaluations.answers",
                        evaluation_id=scene.evaluation.id)
    client_request.sign_in(scene.head)
    client_request.post("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert "Sam Senco" in text_of(page) and "Hana Head" in text_of(page) and "Signed off" in text_of(page)
    client_request.sign_in(scene.senco)
    for endpoint in ("self_evaluations.show", "self_evaluations.answers"):
        page = client_request.get(endpoint, evaluation_id=scene.evaluation.id)
        assert not page.select("a[href*='/areas/']") and not page.select("#submit-evaluation")
    # A save posted from an old page changes nothing.
    response = client_request.client.post(
        client_request.url("self_evaluations.area", evaluation_id=scene.evaluation.id, position=1),
        data={"csrf_token": client_request.csrf_token("self_evaluations.show", evaluation_id=scene.evaluation.id),
              **area_form(level="1", version=2)})
    assert response.status_code == 302
    rating = ratings(scene.evaluation)[0]
    db.session.refresh(rating)
    assert rating.level == 3


def test_only_the_head_signs_off_and_reopens(client_request, scene):
    submitted(scene)
    client_request.sign_in(scene.senco)
    client_request.post("self_evaluations.sign_off", _expected_status=403, _form_endpoint="self_evaluations.show",
                        evaluation_id=scene.evaluation.id)
    client_request.get("self_evaluations.sign_off", _expected_status=403, evaluation_id=scene.evaluation.id)
    client_request.get("self_evaluations.reopen", _expected_status=403, evaluation_id=scene.evaluation.id)
    db.session.refresh(scene.evaluation)
    assert scene.evaluation.status == EvaluationStatus.SUBMITTED


def test_the_head_reopens_with_a_reason_and_it_is_audited(client_request, scene):
    submitted(scene)
    client_request.sign_in(scene.head)
    page = client_request.post("self_evaluations.reopen", {"reason": ""}, _expected_status=200,
                               evaluation_id=scene.evaluation.id)
    assert error_messages(page) == ["Enter why you are reopening the self-evaluation"]
    client_request.post("self_evaluations.reopen", {"reason": "Ratings moved after the QA visit"},
                        evaluation_id=scene.evaluation.id)
    db.session.refresh(scene.evaluation)
    assert scene.evaluation.status == EvaluationStatus.DRAFT
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == scene.evaluation.id)).all()
    assert any(e.actor_id == scene.head.id and e.changes.get("reopened_reason", {}).get("to")
               == "Ratings moved after the QA visit" for e in events)


# Who sees what

def test_a_draft_is_private_to_the_school(client_request, scene):
    for person in (scene.peer, scene.outsider, scene.expert, scene.lead, scene.admin):
        client_request.sign_in(person)
        client_request.get("self_evaluations.show", _expected_status=403, evaluation_id=scene.evaluation.id)
    client_request.sign_in(scene.head)
    client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)


def test_after_submission_the_triad_and_the_schools_qa_expert_can_read_it(client_request, scene):
    submitted(scene)
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    for person in (scene.peer, scene.expert):
        client_request.sign_in(person)
        page = client_request.get("self_evaluations.answers", evaluation_id=scene.evaluation.id)
        assert "Evidence for area 1" in text_of(page, "#area-1")
        assert not page.select("a[href*='/areas/']")  # read-only for them
        page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
        assert not page.select("a[href*='/areas/']")
        assert page.select_one(".govuk-task-list__link")["href"].endswith("/answers#area-1")
    for person in (scene.outsider, scene.other_expert, scene.lead, scene.admin):
        client_request.sign_in(person)
        client_request.get("self_evaluations.show", _expected_status=403, evaluation_id=scene.evaluation.id)
        client_request.get("self_evaluations.answers", _expected_status=403, evaluation_id=scene.evaluation.id)
    client_request.sign_in(scene.peer)
    client_request.get("self_evaluations.area", _expected_status=403, evaluation_id=scene.evaluation.id, position=1)


def test_the_lead_reads_it_only_while_the_head_shares_and_withdrawal_is_immediate(app, client_request, scene):
    from tests.pages import ClientRequest

    submitted(scene)
    lead = ClientRequest(app.test_client())
    lead.sign_in(scene.lead)
    lead.get("self_evaluations.show", _expected_status=403, evaluation_id=scene.evaluation.id)
    client_request.sign_in(scene.head)
    client_request.post("self_evaluations.sharing", {"shared": "y"}, _form_endpoint="self_evaluations.show",
                        evaluation_id=scene.evaluation.id)
    assert "Evidence for area 1" in text_of(lead.get("self_evaluations.answers", evaluation_id=scene.evaluation.id))
    summary = lead.get("self_evaluations.summary", year_id=scene.year.id)
    assert summary.select_one(f"a[href$='/self-evaluations/{scene.evaluation.id}']") is not None
    client_request.post("self_evaluations.sharing", {}, _form_endpoint="self_evaluations.show",
                        evaluation_id=scene.evaluation.id)
    lead.get("self_evaluations.show", _expected_status=403, evaluation_id=scene.evaluation.id)
    lead.get("self_evaluations.answers", _expected_status=403, evaluation_id=scene.evaluation.id)
    summary = lead.get("self_evaluations.summary", year_id=scene.year.id)
    assert summary.select_one(f"a[href$='/self-evaluations/{scene.evaluation.id}']") is None


def test_only_the_head_changes_sharing(client_request, scene):
    client_request.sign_in(scene.senco)
    client_request.post("self_evaluations.sharing", {"shared": "y"}, _expected_status=403,
                        _form_endpoint="self_evaluations.show", evaluation_id=scene.evaluation.id)


def test_the_lead_sees_counts_with_small_groups_hidden(client_request, session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    schools = enrol(year, *(make_school() for _ in range(5)))
    for school, level in zip(schools, (2, 2, 2, 3, 4), strict=True):
        evaluation = start_self_evaluation(school, year)
        for rating in evaluation.ratings:
            save_area(rating, rating.version, {"level": level})
        submit_self_evaluation(evaluation, make_user())
    db.session.commit()
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=programme))
    page = client_request.get("self_evaluations.summary", year_id=year.id)
    first = [cell.text.strip() for cell in page.select("tbody")[0].select("tr")[0].select("td")]
    # Levels 1-4 then not evaluated: 0, 3, 1, 1, 0. The 1s are hidden; nothing else needs hiding.
    assert first == ["0", "fewer than 3", "fewer than 3", "fewer than 3", "0"]
    assert "5 of 5 schools have submitted" in text_of(page)


# QA moderation

def test_the_qa_expert_moderates_and_big_gaps_are_flagged_for_the_school(client_request, scene):
    submitted(scene, level=4)
    client_request.sign_in(scene.lead)
    client_request.post("self_evaluations.qa_expert", {"expert": str(scene.expert.id)},
                        year_id=scene.year.id, school_id=scene.school.id)
    client_request.sign_in(scene.expert)
    data = {f"level_{n}": "4" for n in range(1, 9)} | {"level_2": "2", "comment_2": "Governors not yet challenging",
                                                       "level_3": "3", "version": "1"}
    client_request.post("self_evaluations.moderate", data, evaluation_id=scene.evaluation.id)
    page = client_request.get("self_evaluations.answers", evaluation_id=scene.evaluation.id)
    assert "QA flag" in text_of(page, "#area-2") and "QA flag" not in text_of(page, "#area-3")
    assert "4 Embedded" in text_of(page, "#area-2") and "2 Developing" in text_of(page, "#area-2")
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert "QA flag" in text_of(page, "#area-2-hint") and not page.select("#area-3-hint")
    assert "areas 2" not in text_of(page, "#moderation") and "area 2." in text_of(page, "#moderation")
    html = str(page)  # submitted, so what moderation found comes before the areas, which can no longer change
    assert html.index('id="moderation"') < html.index('class="govuk-task-list"')
    # The school's own rating is untouched.
    assert ratings(scene.evaluation)[1].level == 4
    client_request.sign_in(scene.senco)
    client_request.get("self_evaluations.respond", _expected_status=404, evaluation_id=scene.evaluation.id, position=3)
    page = client_request.post("self_evaluations.respond", {"response": ""}, _expected_status=200,
                               evaluation_id=scene.evaluation.id, position=2)
    assert error_messages(page) == ["Enter your response to the moderated rating"]
    client_request.post("self_evaluations.respond", {"response": "We agree; governor training is booked."},
                        evaluation_id=scene.evaluation.id, position=2)
    moderated = db.session.scalar(select(ModeratedRating).where(ModeratedRating.comment != ""))
    assert moderated.school_response == "We agree; governor training is booked."


def test_only_the_assigned_expert_moderates_and_only_after_submission(client_request, scene):
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    client_request.sign_in(scene.expert)
    client_request.get("self_evaluations.moderate", _expected_status=403, evaluation_id=scene.evaluation.id)
    submitted(scene)
    client_request.get("self_evaluations.moderate", evaluation_id=scene.evaluation.id)
    for person in (scene.other_expert, scene.senco, scene.lead):
        client_request.sign_in(person)
        client_request.get("self_evaluations.moderate", _expected_status=403, evaluation_id=scene.evaluation.id)


def test_a_qa_expert_is_chosen_from_the_programmes_experts(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("self_evaluations.qa_expert", {"expert": str(scene.senco.id)}, _expected_status=200,
                               year_id=scene.year.id, school_id=scene.school.id)
    assert error_messages(page) == ["Choose a QA expert from the list"]
    assert db.session.scalar(select(func.count()).select_from(QAVisit)) == 0


# Year on year

def test_a_returning_school_starts_from_last_years_text_marked_carried_forward(client_request, scene):
    submitted(scene, level=2)
    next_year = make_year(scene.programme, start_year=scene.year.start_year + 1)
    enrol(next_year, scene.school)
    client_request.sign_in(scene.senco)
    client_request.post("self_evaluations.start", school_id=scene.school.id, year_id=next_year.id,
                        _form_endpoint="programmes.school")
    evaluation = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.year_id == next_year.id))
    first = ratings(evaluation)[0]
    assert (first.level, first.evidence, first.carried_forward) == (2, "Evidence for area 1", True)
    page = client_request.get("self_evaluations.show", evaluation_id=evaluation.id)
    assert [text_of(page, f"#area-{n}-hint") for n in range(1, 9)] == [
        "Carried forward from last year: check and save it"] * 8
    page = client_request.get("self_evaluations.answers", evaluation_id=evaluation.id)
    assert len(page.select(".govuk-summary-card .govuk-tag--yellow")) == 8
    client_request.post("self_evaluations.area", area_form(level="3", version=first.version, evidence="Moved on"),
                        evaluation_id=evaluation.id, position=1)
    db.session.refresh(first)
    assert first.carried_forward is False and ratings(evaluation)[1].carried_forward is True
    page = client_request.get("self_evaluations.compare", evaluation_id=evaluation.id)
    cells = [c.text.strip() for c in page.select("tbody tr")[0].select("td")]
    assert cells == ["2", "–", "3", "–", "Up 1"]


def test_the_comparison_says_when_there_is_no_earlier_year(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.compare", evaluation_id=scene.evaluation.id)
    assert "no self-evaluation from an earlier year" in text_of(page)


# Queries

def test_opening_a_self_evaluation_takes_the_same_number_of_queries_however_big_the_framework(
        client_request, scene):
    client_request.sign_in(scene.head)  # who opens every page of a draft

    def statements(endpoint, **values):
        db.session.commit()
        db.session.expire_all()  # as in a fresh request: nothing already loaded
        client_request.get(endpoint, evaluation_id=scene.evaluation.id, **values)
        return client_request.last_statements

    pages = ("self_evaluations.show", "self_evaluations.answers", "self_evaluations.sign_off")
    small = [statements(endpoint) for endpoint in pages]
    small_area = statements("self_evaluations.area", position=1)
    # A framework with twice the areas and more prompts.
    framework = scene.evaluation.framework
    from app.models import FrameworkArea, FrameworkPrompt, SettingType

    for position in range(9, 17):
        area = FrameworkArea(position=position, title=f"Extra area {position}")
        for number in range(1, 7):
            area.prompts.append(FrameworkPrompt(setting_type=SettingType.MAINSTREAM, position=number, text="Prompt"))
        framework.areas.append(area)
        scene.evaluation.ratings.append(AreaRating(area=area))
    assert [statements(endpoint) for endpoint in pages] == small
    assert statements("self_evaluations.area", position=1) == small_area
    assert len(scene.evaluation.ratings) == 16


def test_a_qa_experts_home_page_lists_their_schools(client_request, scene):
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    client_request.sign_in(scene.expert)
    page = client_request.get("main.home")
    waiting = task_section(page, "waiting")
    assert "Self-evaluation not submitted yet" in waiting and "Agree the date of the QA visit" in waiting
    assert scene.school.name in waiting
    submitted(scene)
    page = client_request.get("main.home")
    links = task_links(page)
    assert links["Read the self-evaluation before the visit"].endswith(f"/self-evaluations/{scene.evaluation.id}")


def test_the_triad_page_links_each_submitted_self_evaluation_for_the_other_schools(client_request, scene):
    client_request.sign_in(scene.peer)
    page = client_request.get("programmes.triad", triad_id=scene.triad.id)
    assert not page.select(f"a[href$='/self-evaluations/{scene.evaluation.id}']")
    submitted(scene)
    page = client_request.get("programmes.triad", triad_id=scene.triad.id)
    assert page.select(f"a[href$='/self-evaluations/{scene.evaluation.id}']")
