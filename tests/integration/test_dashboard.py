"""The locality dashboard through HTTP: who may open it, a fixed number of queries however many
triads, filters in the address, names only with consent, and the downloads: a CSV file per table, and
a workbook with a sheet per table."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from app.common import clock
from app.common.exports import file_slug
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
from tests.workbooks import typed_cells, well_made_sheets


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

    response = client_request.client.get(client_request.url("dashboard.download", year_id=year.id, phase="primary",
                                                            table="total"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    slug = file_slug(year.programme.name)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{slug}-2025-26-dashboard-primary-schools-total.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1:] == [["Primary schools", "8", "8", "4", "8", "16", "8", "50", "0", "4"]]


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
        for download in ("dashboard.download", "dashboard.download_xlsx"):
            assert client_request.client.get(client_request.url(download, year_id=year.id)).status_code == 403
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


def test_each_table_downloads_as_one_csv_and_all_of_them_as_a_workbook(client_request, session):
    year, lead = programme_of(4)
    client_request.sign_in(lead)
    page = client_request.get("dashboard.show", year_id=year.id)
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("details a[download]")}
    assert list(links) == ["Deadlines (CSV)", "Progress of all these schools (CSV)", "Progress by triad (CSV)",
                           "Progress by cluster (CSV)", "Progress by phase (CSV)",
                           "Self-ratings: schools at each level (CSV)",
                           "Moderated ratings: schools at each level (CSV)",
                           "Change since last year: average self-rating (CSV)"]
    tables = {}
    for label, href in links.items():
        response = client_request.client.get(href)
        assert response.status_code == 200 and response.mimetype == "text/csv", label
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
        # One table: a header row, then rows as wide as it, none of them empty or a heading of another table.
        assert len({len(row) for row in rows}) == 1 and all(any(row) for row in rows), label
        assert sum(row == rows[0] for row in rows) == 1, label
        tables[label] = rows
    assert ["Triad 1", "3", "1", "1", "3", "2", "2", "4", "2", "50", "0", "1"] in tables["Progress by triad (CSV)"]

    [xlsx] = [a["href"] for a in page.select("a[download]") if "Excel" in a.get_text()]
    response = client_request.client.get(xlsx)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheets = well_made_sheets(response.data)
    assert list(sheets) == ["Deadlines", "Total", "Triads", "Clusters", "Phases", "Self-ratings", "Moderated ratings",
                            "Change since 2024-25"]
    triads = sheets["Triads"]
    assert ("Triad 1", 3, 1, 1, 3, 2, 2, 4, 2, 50, 0, 1) in triads
    _, numbers = typed_cells(triads)
    assert len(numbers) == 4 * 11  # every figure of every triad is a number
    change = sheets["Change since 2024-25"]
    assert change[1][1:] == (2.0, 3.0, 1.0) and all(isinstance(v, int | float) for v in change[1][1:])
    # The same figures as the CSV files, typed: "3" there is 3 here.
    for (label, rows), sheet in zip(tables.items(), sheets.values(), strict=True):
        assert [[str(v) if v is not None else "" for v in row] for row in sheet][:1] == rows[:1], label
        assert len(sheet) == len(rows), label


def test_a_table_the_page_does_not_show_cannot_be_downloaded(client_request, session):
    year, lead = programme_of(1)
    client_request.sign_in(lead)
    for table in ("self-ratings", "no-such-table"):  # one triad: the counts are not shown; a made-up name
        url = client_request.url("dashboard.download", year_id=year.id, table=table, phase="secondary")
        assert client_request.client.get(url).status_code == 404
