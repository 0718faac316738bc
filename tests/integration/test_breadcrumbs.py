"""Finding your way (issue 18): every page below home has breadcrumbs from Home whose every link its reader may
open, and no link on any page says only "Back". Walked as each role of the route matrix, over every GET page that
role may open on the seeded year (the public pages, which people signed out read too, need no breadcrumbs); then
the check pages a form shows after its first step."""
from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from tests.access_matrix import TABLE, Row, expected_status
from tests.pages import check_page
from tests.seeded import ROLES, SeededYear, rolled_back, seed_year
from tests.unit.test_school_import import CLEAN

DOWNLOADS = (".csv", ".xlsx", ".pdf", ".ics", "/file")  # files, not pages


def _pages_for(app, seeded: SeededYear, role: str) -> list[tuple[Row, str]]:
    """Every (row, address) of a GET page the role may open and that answers with the page itself."""
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    pages = []
    with app.test_request_context():
        for row in TABLE:
            rule = rules[row.endpoint]
            if row.method != "GET" or row.redirects or rule.rule.endswith(DOWNLOADS):
                continue
            if expected_status(row, role) == "allowed":
                pages.append((row, url_for(row.endpoint, **seeded.values_for(rule, **row.values(seeded)))))
    return pages


def _get(client, address: str):
    with rolled_back():
        return client.get(address)


def _bare_back_links(page: BeautifulSoup) -> list[str]:
    return [str(link) for link in page.select("a") if link.get_text(" ", strip=True).lower() == "back"]


def _breadcrumb_problems(page: BeautifulSoup) -> list[str]:
    """What is wrong with a page's breadcrumbs (a page below home)."""
    trails = page.select(".govuk-breadcrumbs")
    if len(trails) != 1:
        return [f"{len(trails)} breadcrumbs trails"]
    links = trails[0].select("a.govuk-breadcrumbs__link")
    problems = [] if links and links[0].get_text(strip=True) == "Home" and links[0]["href"] == "/" else [
        "the first crumb is not Home"]
    if page.select(".govuk-back-link"):
        problems.append("a back link beside the breadcrumbs")
    heading = page.select_one("h1")
    if heading and links and links[-1].get_text(strip=True) == heading.get_text(" ", strip=True):
        problems.append("the page's own heading is a crumb")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_below_home_has_breadcrumbs_its_reader_may_follow(role, app, client, client_request, session):
    seeded = seed_year()
    if seeded.users[role] is not None:
        client_request.sign_in(seeded.users[role])
    problems, crumbs_seen, opened = [], {}, 0
    for row, address in _pages_for(app, seeded, role):
        response = _get(client, address)
        if response.status_code != 200:
            problems.append(f"{row.name} {address}: answered {response.status_code}")
            continue
        if response.mimetype != "text/html":
            continue  # the health check's JSON
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        check_page(page, response.headers.get("Content-Security-Policy", ""))
        opened += 1
        problems += [f"{row.name}: a link says only 'Back': {link}" for link in _bare_back_links(page)]
        if row.endpoint == "main.home":
            problems += [f"{row.name}: home has breadcrumbs"] if page.select(".govuk-breadcrumbs") else []
        if row.public or row.endpoint == "main.home":
            continue
        problems += [f"{row.name}: {problem}" for problem in _breadcrumb_problems(page)]
        for link in page.select(".govuk-breadcrumbs a"):
            crumbs_seen.setdefault(link["href"], row.name)
    for href, seen_on in crumbs_seen.items():
        status = _get(client, href).status_code
        if status != 200:
            problems.append(f"{seen_on}: the crumb to {href} answers {status}")
    assert opened >= 4, f"only {opened} pages opened as {role}"
    assert not problems, f"{len(problems)} problems as {role}:\n" + "\n".join(problems)


def _crumbs(page: BeautifulSoup) -> list[tuple[str, str]]:
    return [(link.get_text(strip=True), link["href"]) for link in page.select(".govuk-breadcrumbs a")]


def _upload(client_request, endpoint: str, text: str, **values) -> BeautifulSoup:
    token = client_request.csrf_token(endpoint, **values)
    response = client_request.client.post(client_request.url(endpoint, **values), content_type="multipart/form-data",
                                          data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "list.csv")})
    return client_request._page(response, 200)


def test_a_check_page_has_the_forms_first_step_as_its_last_crumb(client_request, session):
    seeded = seed_year()
    client_request.sign_in(seeded.users["lead"])
    year, programme = seeded.year, seeded.programme
    page = _upload(client_request, "programmes.import_schools", CLEAN, year_id=year.id)
    assert page.select_one("h1").get_text(strip=True) == "Check the schools before you import them"
    assert _crumbs(page)[-2:] == [(year.label, client_request.url("programmes.year", year_id=year.id)),
                                  ("Import schools", client_request.url("programmes.import_schools", year_id=year.id))]
    page = _upload(client_request, "people.bulk_invite", "Email,Name,Role,School URN\n"
                   f"ana@example.org,Ana Able,SENCo,{seeded.draft_school.urn}\n", programme_id=programme.id)
    assert page.select_one("h1").get_text(strip=True) == "Check the invitations before you send them"
    assert _crumbs(page)[-2:] == [
        (programme.name, client_request.url("programmes.show", programme_id=programme.id)),
        ("Invite people in bulk", client_request.url("people.bulk_invite", programme_id=programme.id))]
    assert not _bare_back_links(page) and not page.select(".govuk-back-link")


def test_a_clash_page_has_the_trail_of_the_form_it_stands_for(client_request, session):
    seeded = seed_year()
    client_request.sign_in(seeded.users["lead"])
    meeting_id, triad = seeded.meeting.id, seeded.triad
    form = client_request.get("scheduling.record", meeting_id=meeting_id)
    version = form.select_one("input[name=version]")["value"]
    for notes in ("We agreed the visit dates", "We agreed the focus areas"):
        response = client_request.client.post(client_request.url("scheduling.record", meeting_id=meeting_id), data={
            "csrf_token": form.select_one("input[name=csrf_token]")["value"], "version": version, "notes": notes})
    page = client_request._page(response, 200)
    assert page.select_one("title").get_text().startswith("Choose which text to keep")
    assert _crumbs(page)[-2:] == [(seeded.year.label, client_request.url("programmes.year", year_id=seeded.year.id)),
                                  (triad.name, client_request.url("programmes.triad", triad_id=triad.id))]
