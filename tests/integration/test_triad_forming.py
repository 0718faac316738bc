"""Forming triads at scale (issue 17), through real HTTP: step 1 searches and filters a year's schools a page
at a time and carries the three chosen in the address; step 2 names the triad and picks its coach among
them; the suggestions page forms a suggested triad in one POST or opens step 2 with it. Each page's SQL
statements and size stay the same however many schools the year has."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ActionPlan,
    Enrolment,
    EvaluationStatus,
    Framework,
    PlanVersion,
    Role,
    School,
    SelfEvaluation,
    SettingType,
    Triad,
    TriadMember,
)
from app.programmes.triads import SEARCH_PAGE_SIZE, returning_schools
from tests.factories import (
    enrol,
    make_cluster,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)
from tests.pages import error_messages, text_of

_urns = itertools.count(600001)


@pytest.fixture
def year(session):
    return make_year(make_programme_with_framework(), start_year=2025)


@pytest.fixture
def lead(client_request, year):
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    client_request.sign_in(lead)
    return lead


def many_schools(year, how_many: int, cluster=None, phase: str = "Primary", prefix: str = "School") -> list[School]:
    """`how_many` schools enrolled in `year`, written in one commit (a few hundred in a test)."""
    schools = [School(urn=next(_urns), name=f"{prefix} {n:03d}", phase=phase, local_authority="Testshire")
               for n in range(how_many)]
    db.session.add_all(schools)
    db.session.add_all(Enrolment(year=year, school=school, cluster=cluster) for school in schools)
    db.session.commit()
    return schools


def names(page, selector: str = "#results ~ .govuk-summary-list") -> list[str]:
    listing = page.select_one(selector)
    return [key.get_text(strip=True) for key in listing.select(".govuk-summary-list__key")] if listing else []


def link(page, text: str, school_name: str | None = None) -> str:
    """The href of the link reading `text` (for `school_name`'s row, when given)."""
    for anchor in page.select("main a"):
        if anchor.get_text(" ", strip=True) == (f"{text} {school_name}" if school_name else text):
            return anchor["href"]
    raise AssertionError(f"no link {text!r} {school_name or ''}")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_step_one_lists_a_page_of_the_schools_not_yet_in_a_triad(client_request, year, lead):
    schools = many_schools(year, 25)
    make_triad(year, schools=schools[:3])
    page = client_request.get("programmes.new_triad", year_id=year.id)
    assert "22 schools found (page 1 of 2)" in text_of(page)
    assert names(page) == [s.name for s in schools[3:3 + SEARCH_PAGE_SIZE]]
    second = client_request.get_url(page.select_one(".govuk-pagination__next a")["href"])
    assert names(second) == [s.name for s in schools[23:]]


def test_showing_all_schools_names_their_triad_and_offers_no_choice(client_request, year, lead):
    schools = many_schools(year, 4)
    triad = make_triad(year, schools=schools[:3], name="Triad Oak")
    page = client_request.get("programmes.new_triad", year_id=year.id, show="all")
    assert names(page) == [s.name for s in schools]
    assert f"{schools[0].name} URN {schools[0].urn}" in text_of(page) and f"In {triad.name}" in text_of(page)
    assert [a.get_text(" ", strip=True) for a in page.select("#results ~ .govuk-summary-list a")] == [
        f"Choose {schools[3].name}"]


def test_the_filters_find_schools_by_name_urn_cluster_phase_setting_and_returning(client_request, year, lead):
    north = make_cluster(year.programme, "North")
    ash, beech = enrol(year, make_school("Ash Primary"), make_school("Beech Primary"), cluster=north)
    cedar = enrol(year, make_school("Cedar Academy", phase="Secondary"))[0]
    cedar.setting_type = SettingType.SPECIALIST
    last_year = make_year(year.programme, start_year=2024)
    enrol(last_year, beech)

    def found(**filters) -> list[str]:
        return names(client_request.get("programmes.new_triad", year_id=year.id, **filters))

    assert found(q="beech") == ["Beech Primary"]
    assert found(q=str(cedar.urn)) == ["Cedar Academy"]
    assert found(q="%") == []  # a wildcard is only a character
    assert found(cluster=str(north.id)) == ["Ash Primary", "Beech Primary"]
    assert found(phase="Secondary") == ["Cedar Academy"]
    assert found(setting="specialist") == ["Cedar Academy"]
    assert found(returning="returning") == ["Beech Primary"]
    assert found(returning="new") == ["Ash Primary", "Cedar Academy"]
    assert found(cluster="not-a-cluster", setting="nonsense", page="-3") == ["Ash Primary", "Beech Primary",
                                                                            "Cedar Academy"]


def test_chosen_schools_stay_chosen_while_the_lead_filters_and_pages(client_request, year, lead):
    schools = many_schools(year, 30)
    page = client_request.get("programmes.new_triad", year_id=year.id, q="School")
    page = client_request.get_url(link(page, "Choose", schools[0].name))
    page = client_request.get_url(page.select_one(".govuk-pagination__next a")["href"])
    assert names(page, "#chosen + .govuk-summary-list") == [schools[0].name]
    page = client_request.get_url(link(page, "Choose", schools[25].name))
    search = page.select_one("form[method=get]")
    assert [i["value"] for i in search.select("input[name=school]")] == [str(schools[0].id), str(schools[25].id)]
    assert parse_qs(urlparse(link(page, "Choose", schools[26].name)).query)["q"] == ["School"]
    page = client_request.get_url(link(page, "Remove", schools[0].name))
    assert names(page, "#chosen + .govuk-summary-list") == [schools[25].name]
    assert "Chosen schools: 1 of 3" in text_of(page)


def test_three_chosen_continue_to_step_two_which_forms_the_triad(client_request, year, lead):
    schools = many_schools(year, 5)
    ids = [str(s.id) for s in schools[1:4]]
    page = client_request.get("programmes.new_triad", year_id=year.id, school=ids, picked="y")
    assert "Chosen schools: 3 of 3" in text_of(page)
    assert not [a for a in page.select("#results ~ .govuk-summary-list a") if a.get_text().startswith("Choose")]
    details = client_request.get_url(link(page, "Continue"))
    assert [i["value"] for i in details.select("input[name=coach]")] == ids
    response = client_request.post("programmes.name_triad", {"name": "Triad Elm", "schools": ids, "coach": ids[2]},
                                   _form_endpoint="programmes.new_triad", year_id=year.id)
    assert response.headers["Location"].endswith(f"/years/{year.id}/triads")
    triad = db.session.scalar(select(Triad).where(Triad.name == "Triad Elm"))
    assert [str(m.school_id) for m in triad.members] == ids and str(triad.coach.school_id) == ids[2]


def test_step_two_without_three_schools_sends_the_lead_back_to_choose(client_request, year, lead):
    schools = many_schools(year, 3)
    response = client_request.client.get(client_request.url("programmes.name_triad", year_id=year.id,
                                                            school=[str(schools[0].id), "not-an-id"]))
    assert response.status_code == 302
    assert parse_qs(urlparse(response.headers["Location"]).query)["school"] == [str(schools[0].id)]


def test_step_two_refuses_a_school_taken_since_and_saves_nothing(client_request, year, lead):
    schools = many_schools(year, 5)
    make_triad(year, schools=schools[2:5], name="Triad Ash")
    page = client_request.post("programmes.name_triad",
                               {"name": "Triad Elm", "schools": [str(s.id) for s in schools[:3]],
                                "coach": str(schools[0].id)},
                               _expected_status=200, _form_endpoint="programmes.new_triad", year_id=year.id)
    assert error_messages(page) == [f"{schools[2].name} is already in Triad Ash for {year.label}"]
    assert page.select_one("#schools .govuk-error-message") is not None
    assert count(Triad) == 1


def test_editing_starts_from_the_triads_schools_and_saves_the_new_three(client_request, year, lead):
    schools = many_schools(year, 5)
    triad = make_triad(year, schools=schools[:3], name="Triad Ash")
    page = client_request.get("programmes.edit_triad", triad_id=triad.id)
    assert names(page, "#chosen + .govuk-summary-list") == [s.name for s in schools[:3]]
    page = client_request.get_url(link(page, "Remove", schools[0].name))
    page = client_request.get_url(link(page, "Choose", schools[4].name))
    details = client_request.get_url(link(page, "Continue"))
    assert details.select_one("input[name=name]")["value"] == "Triad Ash"
    ids = [i["value"] for i in details.select("input[name=schools]")]
    assert ids == [str(s.id) for s in (schools[1], schools[2], schools[4])]
    client_request.post("programmes.edit_triad_details", {"name": "Triad Ash", "schools": ids, "coach": ids[2]},
                        triad_id=triad.id)
    db.session.expire_all()
    assert [m.school_id for m in triad.members] == [schools[1].id, schools[2].id, schools[4].id]
    assert triad.coach.school_id == schools[4].id


def test_accepting_a_suggestion_forms_it_in_one_post(client_request, year, lead):
    north = make_cluster(year.programme, "North")
    schools = many_schools(year, 7, cluster=north)
    page = client_request.get("programmes.triad_suggestions", year_id=year.id)
    assert "2 triads suggested for 7 schools not yet in a triad" in text_of(page)
    assert f"Left over, as they cannot make a three in their local authority: {schools[6].name}." in text_of(page)
    form = page.select_one("form[action$='/suggestions/accept']")
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    data["schools"] = [field["value"] for field in form.select("input[name=schools]")]
    response = client_request.client.post(form["action"], data=data)
    assert response.status_code == 302
    triad = db.session.scalar(select(Triad).where(Triad.year_id == year.id))
    assert triad.name == "North 1" and [m.school_id for m in triad.members] == [s.id for s in schools[:3]]
    assert "1 triad suggested for 4 schools" in text_of(client_request.get_url(response.headers["Location"]))


def test_accepting_a_suggestion_taken_since_is_refused_and_saves_nothing(client_request, year, lead):
    schools = many_schools(year, 4)
    page = client_request.get("programmes.triad_suggestions", year_id=year.id)
    form = page.select_one("form[action$='/suggestions/accept']")
    make_triad(year, schools=[schools[0], schools[1], schools[3]], name="Triad Ash")
    data = {"csrf_token": form.select_one("input[name=csrf_token]")["value"], "name": "Testshire 1",
            "schools": [field["value"] for field in form.select("input[name=schools]")],
            "coach": form.select_one("input[name=coach]")["value"]}
    response = client_request.client.post(form["action"], data=data, follow_redirects=True)
    assert f"{schools[0].name} is already in Triad Ash" in response.get_data(as_text=True)
    assert count(Triad) == 1 and count(TriadMember) == 3


def test_changing_a_suggestion_opens_step_two_with_its_schools_and_coach(client_request, year, lead):
    schools = many_schools(year, 3)
    last_year = make_year(year.programme, start_year=2024)
    enrol(last_year, schools[1])
    page = client_request.get("programmes.triad_suggestions", year_id=year.id)
    assert "Returning" in text_of(page, "main section")
    details = client_request.get_url(link(page, "Change Testshire 1"))
    # the coach first, as the suggestion lists it
    assert [i["value"] for i in details.select("input[name=schools]")] == [str(schools[n].id) for n in (1, 0, 2)]
    assert details.select_one("input[name=coach][checked]")["value"] == str(schools[1].id)
    assert details.select_one("input[name=name]")["value"] == "Testshire 1"


def test_mixed_phases_are_suggested_when_the_lead_asks(client_request, year, lead):
    many_schools(year, 3, prefix="Primary")
    many_schools(year, 3, phase="Secondary", prefix="Secondary")

    def phases(**args) -> list[set[str]]:
        page = client_request.get("programmes.triad_suggestions", year_id=year.id, **args)
        return [{li.get_text(" ", strip=True).split(" · ")[1] for li in section.select("li")}
                for section in page.select("main section")]

    assert phases() == [{"Primary"}, {"Secondary"}]
    assert phases(mixed="y") == [{"Primary", "Secondary"}] * 2


def test_returning_schools_are_last_years_and_completed_means_signed_off_or_finalised_once(session, year):
    signed_off, finalised, returning, new = many_schools(year, 4)
    last_year = make_year(year.programme, start_year=2024)
    enrol(last_year, signed_off, finalised, returning)
    enrol(make_year(year.programme, start_year=2023), new)  # two years ago is not last year
    framework = db.session.scalar(select(Framework).where(Framework.programme_id == year.programme_id))
    head = make_user(Role.HEAD, school=finalised)
    db.session.add(SelfEvaluation(school=signed_off, year=last_year, framework=framework,
                                  status=EvaluationStatus.SIGNED_OFF))
    db.session.add(SelfEvaluation(school=returning, year=last_year, framework=framework,
                                  status=EvaluationStatus.SUBMITTED))
    plan = ActionPlan(school=finalised, year=last_year, version=2)  # finalised once, now a draft again
    db.session.add(PlanVersion(plan=plan, number=1, finalised_by=head, content=[],
                               finalised_at=datetime(2025, 1, 10, tzinfo=timezone.utc)))
    db.session.commit()
    found = returning_schools(year)
    assert found.returning == {signed_off.id, finalised.id, returning.id}
    assert found.completed == {signed_off.id, finalised.id}


@pytest.mark.parametrize("page_endpoint", ["programmes.new_triad", "programmes.triad_suggestions"])
def test_the_forming_pages_take_the_same_statements_and_size_for_60_and_300_schools(client_request, lead,
                                                                                      page_endpoint):
    def measure(how_many: int) -> tuple[int, int]:
        year = make_year(lead.roles[0].programme, start_year=2000 + how_many // 10)
        cluster = make_cluster(year.programme)
        schools = many_schools(year, how_many, cluster=cluster)
        make_triad(year, schools=schools[-3:])
        enrol(make_year(year.programme, start_year=1999 + how_many // 10), *schools[:how_many // 3])
        ids = [str(s.id) for s in schools[:2]]
        response = client_request.client.get(client_request.url(page_endpoint, year_id=year.id, school=ids))
        assert response.status_code == 200
        return int(response.headers["X-SQL-Statements"]), len(response.get_data())

    few, many = measure(60), measure(300)
    assert few[0] == many[0]
    if page_endpoint == "programmes.new_triad":
        assert abs(few[1] - many[1]) < 200  # only the counts and page numbers differ
