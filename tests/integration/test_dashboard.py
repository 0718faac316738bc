"""The locality dashboard through HTTP: who may open it, a fixed number of queries however many
triads, filters in the address, names only with consent, and the CSV download."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from app.common import clock
from app.models import ActionStatus, EvaluationStatus, Role
from tests.factories import (
    enrol,
    make_cluster,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)
from tests.locality import meeting, moderate, peer_visit, plan, rate, share
from tests.pages import text_of


def programme_of(triads: int):
    """A year of `triads` triads, each with meetings, a visit, self-evaluations, moderation, plans and
    actions, and a previous year, so that every part of the dashboard has rows to load."""
    programme = make_programme_with_framework()
    last = make_year(programme, start_year=2024)
    year = make_year(programme, start_year=2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    expert = make_user(Role.QA_EXPERT, programme=programme)
    clusters = [make_cluster(programme, f"Cluster {n}") for n in range(1, 3)]
    for number in range(1, triads + 1):
        schools = [make_school(name=f"School {number}-{n}", phase="Primary" if n < 3 else "Secondary")
                   for n in range(1, 4)]
        enrol(last, *schools)
        enrol(year, *schools, cluster=clusters[number % 2])
        triad = make_triad(year, schools, name=f"Triad {number}")
        meeting(triad, 1, held=True)
        peer_visit(triad, schools[1], days_from_now=-2)
        for index, school in enumerate(schools):
            rate(last, school, [2] * 8)
            rate(year, school, [index + 2] * 8, EvaluationStatus.SIGNED_OFF if index else EvaluationStatus.SUBMITTED)
            plan(year, school, [(ActionStatus.COMPLETE, date(2026, 1, 9)),
                                (ActionStatus.ON_TRACK, clock.today() + timedelta(days=30))],
                 finalised=index != 2, by=lead)
            share(year, school, index == 0)
        moderate(year, schools[0], [4] * 8, expert, visited_on=clock.today() - timedelta(days=1))
    return year, lead


def test_the_dashboard_takes_the_same_number_of_queries_for_4_and_24_triads(client_request, session):
    counts = []
    for triads in (4, 24):
        year, lead = programme_of(triads)
        client_request.sign_in(lead)
        page = client_request.get("dashboard.show", year_id=year.id)
        assert len(page.select("tbody")[0].select("tr")) == triads
        counts.append(client_request.last_statements)
    assert counts[0] == counts[1]


def test_the_lead_sees_the_figures_filters_them_and_downloads_them(client_request, session):
    year, lead = programme_of(4)
    client_request.sign_in(lead)
    page = client_request.get("dashboard.show", year_id=year.id)
    main = text_of(page)
    assert "Figures for all schools" in main
    assert "12 (4 triads)" in main and "12 of 12 submitted, 8 signed off" in main
    assert "Change since 2024/25" in main
    assert len(page.select("svg.app-chart")) == 2  # self and moderated ratings
    # Strengths: the schools rated 4 in every area are the third of each triad, which do not share,
    # so they are counted, not named. The first of each shares, and is 2 levels below its QA rating.
    assert "4 other schools, not named" in main
    named = [" ".join(li.get_text().split()) for li in page.select("#support ~ ul li")]
    assert [n.split(":")[0] for n in named] == [f"School {n}-1" for n in range(1, 5)]
    assert named[0].startswith("School 1-1: 1. Outcomes for pupils with SEND (QA gap); 2. Leadership of SEND (QA gap)")
    assert not any(f"School {n}-3" in main for n in range(1, 5))

    cluster = next(c for c in year.programme.clusters if c.name == "Cluster 1")
    filtered = client_request.get_url(client_request.url("dashboard.show", year_id=year.id, cluster=str(cluster.id),
                                                         phase="secondary"))
    assert "Figures for Cluster 1, secondary schools" in text_of(filtered)
    assert filtered.select_one("select#cluster option[selected]")["value"] == str(cluster.id)

    response = client_request.client.get(client_request.url("dashboard.download", year_id=year.id, phase="primary"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="dashboard-2025-26.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][1] == "Figures for primary schools"
    assert ["Primary", "8", "8", "4", "8", "16", "8", "50", "0", "4"] in rows


def test_withdrawing_consent_takes_a_name_off_at_once(client_request, session):
    year, lead = programme_of(1)
    client_request.sign_in(lead)
    assert "School 1-1" in text_of(client_request.get("dashboard.show", year_id=year.id))
    school = next(m.school for m in year.triads[0].members if m.school.name == "School 1-1")
    share(year, school, False)
    assert "School 1-1" not in text_of(client_request.get("dashboard.show", year_id=year.id))


def test_only_the_programme_lead_and_administrators_open_the_dashboard(client_request, session):
    year, _ = programme_of(1)
    triad = year.triads[0]
    school = triad.members[0].school
    outsiders = [make_user(Role.SENCO, school=school), make_user(Role.HEAD, school=school),
                 make_user(Role.QA_EXPERT, programme=year.programme),
                 make_user(Role.CLUSTER_LEAD, cluster=make_cluster(year.programme)),
                 make_user(Role.PROGRAMME_LEAD, programme=make_programme_with_framework())]
    for user in outsiders:
        client_request.sign_in(user)
        client_request.get("dashboard.show", _expected_status=403, year_id=year.id)
        assert client_request.client.get(client_request.url("dashboard.download", year_id=year.id)).status_code == 403
    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get("dashboard.show", year_id=year.id)


def test_the_year_page_links_to_the_dashboard_for_the_lead(client_request, session):
    year, lead = programme_of(1)
    client_request.sign_in(lead)
    page = client_request.get("programmes.year", year_id=year.id)
    assert page.find("a", string=f"Locality dashboard for {year.label}")["href"] == client_request.url(
        "dashboard.show", year_id=year.id)


def test_a_year_without_schools_says_so(client_request, session):
    programme = make_programme_with_framework()
    year = make_year(programme)
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=programme))
    main = text_of(client_request.get("dashboard.show", year_id=year.id))
    assert "No triads have been formed yet" in main and "The counts appear once at least 3" in main


def test_a_cluster_lead_sees_the_cluster_s_figures_with_no_school_named(client_request, session):
    year, _lead = programme_of(4)
    cluster = next(c for c in year.programme.clusters if c.name == "Cluster 1")  # triads 2 and 4
    client_request.sign_in(make_user(Role.CLUSTER_LEAD, cluster=cluster))
    page = client_request.get("clusters.show", cluster_id=cluster.id)
    triads = page.find("table", attrs={"class": "govuk-table"}).find_all("th", attrs={"scope": "row"})
    assert [th.get_text(strip=True) for th in triads] == ["Triad 2", "Triad 4"]
    assert not page.select("a[href*='/triads/']")  # a cluster lead cannot open triads' pages
    support = page.find("h2", id="support").find_next("p").get_text(" ", strip=True)
    assert support.startswith("Fewer than 3 schools. Schools are not named here")
    assert page.find("h2", id="send-reviews") is None  # the cluster page lists its reviews itself
