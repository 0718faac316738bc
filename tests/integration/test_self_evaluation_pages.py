"""The self-evaluation's pages as people use them: the overview as a task list, the check page, the head's
check and sign-off, sharing at the top, the QA expert's moderation page, the "not yet evaluated" reason
revealed under its choice, every error listed at once, and breadcrumbs on each page."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import EvaluationStatus, ModeratedRating, QAVisit, Role
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.factories import enrol, make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def scene(session):
    """School A's draft self-evaluation in a triad, its head and SENCo, and the programme's QA expert."""
    programme = make_programme_with_framework()
    year = make_year(programme)
    triad = make_triad(year)
    school = triad.members[0].school
    people = SimpleNamespace(
        senco=make_user(Role.SENCO, school=school, name="Sam Senco"),
        head=make_user(Role.HEAD, school=school, name="Hana Head"),
        peer=make_user(Role.SENCO, school=triad.members[1].school, name="Pat Peer"),
        expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
    )
    evaluation = start_self_evaluation(school, year)
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, school=school, evaluation=evaluation, **vars(people))


def ratings(evaluation):
    return sorted(evaluation.ratings, key=lambda r: r.area.position)


def submitted(scene, level=3):
    for rating in ratings(scene.evaluation):
        save_area(rating, rating.version, {"level": level, "evidence": f"Evidence for area {rating.area.position}",
                                           "strengths": f"Strengths of area {rating.area.position}"})
    submit_self_evaluation(scene.evaluation, scene.senco)
    db.session.commit()
    return scene.evaluation


def autosave(client_request, scene, position, **answers):
    token = client_request.csrf_token("self_evaluations.area", evaluation_id=scene.evaluation.id, position=position)
    rating = ratings(scene.evaluation)[position - 1]
    db.session.refresh(rating)
    data = {"csrf_token": token, "version": str(rating.version), "level": "", "not_evaluated_reason": "",
            "evidence": "", "strengths": "", "development": "", **answers}
    url = client_request.url("self_evaluations.autosave", evaluation_id=scene.evaluation.id, position=position)
    response = client_request.client.post(url, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)


def crumbs(page) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in page.select(".govuk-breadcrumbs__list a")]


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def link(page, text: str):
    return page.find("a", string=lambda s: s is not None and s.strip() == text)


def status(page, position: int) -> str:
    return text_of(page, f"#area-{position}-status")


# The overview

def test_each_area_is_not_yet_started_in_progress_or_completed(client_request, scene):
    save_area(ratings(scene.evaluation)[0], 1, {"level": 3})
    db.session.commit()
    client_request.sign_in(scene.senco)
    autosave(client_request, scene, 2, evidence="Half a thought about the provision map")  # typed, not finished
    autosave(client_request, scene, 3, level="none", not_evaluated_reason="A new SENCo started this term")
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert [status(page, n) for n in range(1, 6)] == [
        "Completed", "In progress", "Completed", "Not yet started", "Not yet started"]
    assert page.select_one("#area-2-status .govuk-tag--light-blue") is not None
    assert page.select_one("#area-4-status .govuk-tag--blue") is not None
    assert page.select_one("#area-1-status .govuk-tag") is None  # Completed is plain text, as GOV.UK's
    assert "To do" not in text_of(page, ".govuk-task-list")
    assert "You have completed 2 of 8 areas" in text_of(page, "#progress")
    links = [a["href"] for a in page.select(".govuk-task-list__link")]
    assert links == [client_request.url("self_evaluations.area", evaluation_id=scene.evaluation.id, position=n)
                     for n in range(1, 9)]


def test_the_sharing_choice_and_its_state_are_at_the_top_of_the_overview(client_request, scene):
    submitted(scene)
    client_request.sign_in(scene.head)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    html = str(page)
    reopen = link(page, "Reopen for editing")
    assert reopen is not None
    assert html.index('id="sharing"') < html.index('class="govuk-task-list"') < html.index(str(reopen))
    assert "Not shared with the programme lead: not decided yet." in text_of(page, "#sharing")
    client_request.post("self_evaluations.sharing", {"shared": "y"}, _form_endpoint="self_evaluations.show",
                        evaluation_id=scene.evaluation.id)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert "Shared with the programme lead." in text_of(page, "#sharing")
    assert page.select_one("#sharing input[name=shared]").has_attr("checked")
    client_request.sign_in(scene.senco)  # the SENCo sees the state, and cannot change it
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert "Shared with the programme lead" in text_of(page, ".govuk-summary-list")
    assert page.select_one("#sharing") is None and page.select_one("input[name=shared]") is None


def test_compare_with_last_year_shows_only_when_there_is_a_last_year(client_request, scene):
    submitted(scene, level=2)
    client_request.sign_in(scene.senco)
    compare = client_request.url("self_evaluations.compare", evaluation_id=scene.evaluation.id)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert page.select_one(f"a[href='{compare}']") is None
    next_year = make_year(scene.programme, start_year=scene.year.start_year + 1)
    enrol(next_year, scene.school)
    following = start_self_evaluation(scene.school, next_year)
    db.session.commit()
    page = client_request.get("self_evaluations.show", evaluation_id=following.id)
    compare = link(page, "Compare with last year")
    assert compare is not None
    assert compare["href"] == client_request.url("self_evaluations.compare", evaluation_id=following.id)


# The check page

def test_the_check_page_shows_every_answer_with_a_change_link_to_its_area(client_request, scene):
    save_area(ratings(scene.evaluation)[3], 1, {"level": 4, "evidence": "Tracking reviewed each half term",
                                                "development": "Parents' evenings"})
    db.session.commit()
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.answers", evaluation_id=scene.evaluation.id)
    assert page.h1.get_text(strip=True) == "Check your answers before you submit"
    card = text_of(page, "#area-4")
    assert "4 Embedded" in card and "Tracking reviewed each half term" in card and "Parents' evenings" in card
    changes = [a["href"] for a in page.select(".govuk-summary-card__actions a")]
    assert changes == [client_request.url("self_evaluations.area", evaluation_id=scene.evaluation.id, position=n)
                       for n in range(1, 9)]
    form = page.select_one("#submit-evaluation").find_parent("form")
    assert form["action"] == client_request.url("self_evaluations.submit", evaluation_id=scene.evaluation.id)


def test_submitting_from_the_check_page_lists_every_area_left_there(client_request, scene):
    for rating in ratings(scene.evaluation)[:5]:
        save_area(rating, rating.version, {"level": 2})
    db.session.commit()
    client_request.sign_in(scene.senco)
    page = client_request.post("self_evaluations.submit", _expected_status=200,
                               _form_endpoint="self_evaluations.answers", evaluation_id=scene.evaluation.id)
    assert [message.split(",")[0] for message in error_messages(page)] == ["Rate area 6", "Rate area 7", "Rate area 8"]
    assert page.h1.get_text(strip=True) == "Check your answers before you submit"
    assert [a["href"] for a in page.select(".govuk-error-summary__list a")] == [
        client_request.url("self_evaluations.area", evaluation_id=scene.evaluation.id, position=n) for n in (6, 7, 8)]


def test_readers_see_the_answers_without_change_links(client_request, scene):
    submitted(scene)
    client_request.sign_in(scene.peer)
    page = client_request.get("self_evaluations.answers", evaluation_id=scene.evaluation.id)
    assert page.h1.get_text(strip=True) == "Self-evaluation answers"
    assert "Strengths of area 8" in text_of(page, "#area-8")
    assert not page.select(".govuk-summary-card__actions") and not page.select("#submit-evaluation")


# Signing off

def test_the_head_checks_the_ratings_reads_the_declaration_and_signs_off(client_request, scene):
    submitted(scene)
    client_request.sign_in(scene.head)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    sign_off = client_request.url("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    assert link(page, "Check and sign off")["href"] == sign_off
    page = client_request.get("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    assert [words(row.select_one(".govuk-summary-list__value")) for row in page.select(".govuk-summary-list__row")] == [
        "3 Established"] * 8
    declaration = text_of(page, "#sign-off")
    assert declaration.startswith("Declaration I have read this self-evaluation")
    assert f"confirm that it is a fair account of the provision for pupils with SEND at {scene.school.name}" in (
        declaration)
    assert page.find("button", string=lambda s: s and s.strip() == "Confirm and sign off") is not None
    response = client_request.post("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    assert response.location.endswith(f"/self-evaluations/{scene.evaluation.id}/sign-off")
    db.session.refresh(scene.evaluation)
    assert scene.evaluation.status == EvaluationStatus.SIGNED_OFF
    page = client_request.get("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    assert text_of(page, ".govuk-panel").startswith("Self-evaluation signed off")
    assert "Hana Head signed it off" in text_of(page) and not page.select("#sign-off")
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert link(page, "Check and sign off") is None


def test_a_draft_has_nothing_to_sign_off(client_request, scene):
    client_request.sign_in(scene.head)
    page = client_request.get("self_evaluations.sign_off", evaluation_id=scene.evaluation.id)
    assert "has not been submitted yet" in text_of(page, "#sign-off") and not page.select("#sign-off form")
    page = client_request.post("self_evaluations.sign_off", _expected_status=200, evaluation_id=scene.evaluation.id)
    assert error_messages(page) == ["Only a submitted self-evaluation can be signed off"]
    db.session.refresh(scene.evaluation)
    assert scene.evaluation.status == EvaluationStatus.DRAFT


# The area form

def test_the_not_evaluated_reason_is_revealed_under_its_choice(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.area", evaluation_id=scene.evaluation.id, position=1)
    radio = page.select_one("input[name=level][value=none]")
    reveal = page.select_one(f"#{radio['data-aria-controls']}")
    assert reveal.select_one("textarea[name=not_evaluated_reason]") is not None
    assert "govuk-radios__conditional" in reveal["class"]
    assert "govuk-radios__conditional--hidden" in reveal["class"]  # hidden (with JavaScript) until chosen
    assert radio.find_parent(attrs={"data-app-reveal": True}) is not None  # revealed by reveal.mjs
    scripts = [script["src"] for script in page.select("script[src]")]
    assert scripts.index("/static/src/reveal.mjs") < scripts.index("/static/src/app.mjs")  # before GOV.UK starts
    page = client_request.post("self_evaluations.area", {"level": "none", "version": "1", "not_evaluated_reason": ""},
                               _expected_status=200, evaluation_id=scene.evaluation.id, position=1)
    reveal = page.select_one(f"#{page.select_one('input[name=level][value=none]')['data-aria-controls']}")
    assert "govuk-radios__conditional--hidden" not in reveal["class"]  # chosen: shown, with its error
    assert "Enter why this area is not yet evaluated" in words(reveal)


# Moderation

def test_the_qa_expert_rates_each_area_beside_the_schools_evidence_and_strengths(client_request, scene):
    submitted(scene)
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    client_request.sign_in(scene.expert)
    page = client_request.get("self_evaluations.moderate", evaluation_id=scene.evaluation.id)
    for n in range(1, 9):
        area = page.select_one(f"#area-{n}")
        school, rating = area.select(".govuk-grid-column-one-half")
        assert f"Evidence for area {n}" in words(school) and f"Strengths of area {n}" in words(school)
        assert "3 Established" in words(school)
        assert rating.select(f"input[name=level_{n}]") and rating.select_one(f"textarea[name=comment_{n}]")
        assert "govuk-radios--inline" not in rating.select_one(".govuk-radios")["class"]


def test_every_refused_moderated_rating_is_listed_at_once(client_request, scene):
    submitted(scene)
    db.session.add(QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id))
    db.session.commit()
    client_request.sign_in(scene.expert)
    page = client_request.post("self_evaluations.moderate", {"version": "1", "level_1": "3", "level_2": "9",
                                                              "level_5": "7", "comment_1": "Secure"},
                               _expected_status=200, evaluation_id=scene.evaluation.id)
    assert error_messages(page) == ["Choose a moderated rating for area 2 from the scale",
                                    "Choose a moderated rating for area 5 from the scale"]
    assert [a["href"] for a in page.select(".govuk-error-summary__list a")] == ["#level_2", "#level_5"]
    assert page.select_one("#level_2") is not None and page.select_one("#level_5") is not None
    assert db.session.scalar(select(func.count()).select_from(ModeratedRating)) == 0


# Finding your way

def test_every_page_below_the_overview_has_breadcrumbs_ending_at_it(client_request, scene):
    submitted(scene)
    visit = QAVisit(year_id=scene.year.id, school_id=scene.school.id, expert_id=scene.expert.id)
    visit.moderated.append(ModeratedRating(area_id=ratings(scene.evaluation)[1].area_id, level=1))
    db.session.add(visit)
    db.session.commit()
    overview = client_request.url("self_evaluations.show", evaluation_id=scene.evaluation.id)
    school = client_request.url("programmes.school", school_id=scene.school.id)
    client_request.sign_in(scene.head)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    assert crumbs(page)[0][0] == "Home" and crumbs(page)[-1] == (scene.school.name, school)
    below = [("self_evaluations.answers", {}), ("self_evaluations.sign_off", {}), ("self_evaluations.compare", {}),
             ("self_evaluations.reopen", {}), ("self_evaluations.respond", {"position": 2})]
    for endpoint, values in below:
        page = client_request.get(endpoint, evaluation_id=scene.evaluation.id, **values)
        assert crumbs(page)[-2:] == [(scene.school.name, school), ("Self-evaluation", overview)], endpoint
        assert not page.select(".govuk-back-link"), endpoint
    client_request.sign_in(scene.expert)
    page = client_request.get("self_evaluations.moderate", evaluation_id=scene.evaluation.id)
    assert crumbs(page)[-1] == ("Self-evaluation", overview)
