"""Clusters through HTTP: who may open what, cluster leads asking their schools for information (and
only their schools receiving it), the lead asking one cluster, Whole School SEND Review dates, termly
meetings, the home page, and a cluster page whose queries do not grow with its schools."""
from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.clusters.service import record_send_review, term_of
from app.common import clock
from app.extensions import db
from app.information_requests.service import create_request
from app.meetings.service import london_time
from app.models import ClusterMeeting, InformationRequest, Role, RoleAssignment, Term
from tests.factories import enrol, make_cluster, make_programme, make_school, make_user, make_year
from tests.pages import error_messages, task_section, text_of

TODAY = clock.today()
THIS_YEAR = TODAY.year if TODAY.month >= 9 else TODAY.year - 1


def form_date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def add_meeting(cluster, year, term: Term, day: date, **more) -> ClusterMeeting:
    meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=term,
                             starts_at=london_time(day, time(15, 30)), place="Hall", **more)
    db.session.add(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def scene(session):
    programme = make_programme()
    year = make_year(programme, start_year=THIS_YEAR)
    north, south = make_cluster(programme, name="North cluster"), make_cluster(programme, name="South cluster")
    alder, birch, hawthorn = (make_school("Alder Primary"), make_school("Birch Primary"),
                              make_school("Hawthorn High", phase="Secondary"))
    enrol(year, alder, birch, hawthorn, cluster=north)
    damson = enrol(year, make_school("Damson Primary"), cluster=south)[0]
    unclustered = enrol(year, make_school("Elm Primary"))[0]
    return SimpleNamespace(
        programme=programme, year=year, north=north, south=south, alder=alder, birch=birch, hawthorn=hawthorn,
        damson=damson, unclustered=unclustered,
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
        cluster_lead=make_user(Role.CLUSTER_LEAD, cluster=north, name="Maya Thornton"),
        south_lead=make_user(Role.CLUSTER_LEAD, cluster=south, name="Sol South"),
        head=make_user(Role.HEAD, school=alder, name="Helen Marsh"),
        senco=make_user(Role.SENCO, school=alder, name="Tom Okafor"),
        secondary_senco=make_user(Role.SENCO, school=hawthorn, name="Aisha Rahman"),
        damson_senco=make_user(Role.SENCO, school=damson, name="Ben Fairley"),
        other_lead=make_user(Role.PROGRAMME_LEAD, programme=make_programme(), name="Otto Other"),
        admin=make_user(Role.ADMIN),
    )


def review_rows(page) -> list:
    return page.select_one("#reviews ~ .app-table-scroll table").select("tbody tr")


def status_of(client_request, endpoint: str, **values) -> int:
    return client_request.client.get(client_request.url(endpoint, **values)).status_code


def test_who_may_open_the_cluster_pages(client_request, scene):
    meeting = add_meeting(scene.north, scene.year, Term.AUTUMN, date(THIS_YEAR, 11, 19))
    north = {"cluster_id": scene.north.id}
    expected = {
        # (endpoint, values): {person: status}
        ("clusters.show", "north"): {"cluster_lead": 200, "lead": 200, "admin": 200, "south_lead": 403, "senco": 403,
                                     "other_lead": 403},
        ("clusters.leads", "north"): {"lead": 200, "admin": 200, "cluster_lead": 403, "other_lead": 403},
        ("clusters.schools", "north"): {"lead": 200, "cluster_lead": 403, "head": 403},
        ("clusters.index", "programme"): {"lead": 200, "admin": 200, "cluster_lead": 403, "other_lead": 403},
        ("requests.new_cluster_request", "north"): {"cluster_lead": 200, "lead": 200, "south_lead": 403, "head": 403},
        ("scheduling.record_cluster", "meeting"): {"cluster_lead": 200, "lead": 200, "senco": 403, "south_lead": 403},
        ("scheduling.show_cluster_meeting", "meeting"): {"senco": 200, "cluster_lead": 200, "damson_senco": 403},
        ("calendars.cluster_meeting_ics", "meeting"): {"senco": 200, "head": 200, "cluster_lead": 200,
                                                      "damson_senco": 403, "other_lead": 403},
    }
    values = {"north": north, "programme": {"programme_id": scene.programme.id},
              "meeting": {"cluster_meeting_id": meeting.id}}
    found = {}
    for (endpoint, kind), people in expected.items():
        for person in people:
            client_request.sign_in(getattr(scene, person))
            found[(endpoint, kind, person)] = status_of(client_request, endpoint, **values[kind])
    assert found == {(endpoint, kind, person): status for (endpoint, kind), people in expected.items()
                     for person, status in people.items()}


def test_unknown_terms_and_schools_outside_the_cluster_are_not_found(client_request, scene):
    client_request.sign_in(scene.cluster_lead)
    client_request.get("scheduling.cluster_meeting", _expected_status=404, cluster_id=scene.north.id, term="winter")
    client_request.get("clusters.send_review", _expected_status=404, cluster_id=scene.north.id,
                       school_id=scene.damson.id)
    client_request.get("clusters.send_review", cluster_id=scene.north.id, school_id=scene.alder.id)


def test_a_cluster_lead_asks_the_cluster_and_only_its_schools_receive_it(client_request, scene):
    client_request.sign_in(scene.cluster_lead)
    page = client_request.get("requests.new_cluster_request", cluster_id=scene.north.id)
    assert [label.text.strip() for label in page.select("[name=schools] + label")] == [
        "Alder Primary", "Birch Primary", "Hawthorn High"]
    assert "Every school in the cluster" in text_of(page)
    # Asking for a school outside the cluster, or for the other cluster, gets the cluster's schools only.
    page = client_request.post("requests.new_cluster_request", {
        "title": "SEND register", "details": "How many?", "working_days": "10", "audience": "chosen",
        "schools": [str(scene.damson.id)]}, _expected_status=200, cluster_id=scene.north.id)
    assert error_messages(page) == ["Choose at least one school taking part in the year"]
    response = client_request.post("requests.new_cluster_request", {
        "title": "SEND register", "details": "How many?", "working_days": "10", "audience": "cluster",
        "cluster_id": str(scene.south.id)}, _follow=True, _expected_status=200, cluster_id=scene.north.id)
    request = db.session.scalar(select(InformationRequest))
    assert request.cluster_id == scene.north.id
    assert {r.school_id for r in request.recipients} == {scene.alder.id, scene.birch.id, scene.hawthorn.id}
    assert "Request sent to 3 schools" in text_of(response, "body")
    assert response.select(".govuk-breadcrumbs__link")[-1]["href"].endswith(f"/clusters/{scene.north.id}")

    client_request.sign_in(scene.damson_senco)
    assert "SEND register" not in text_of(client_request.get("main.home"))
    client_request.sign_in(scene.senco)
    assert "Answer “SEND register”" in text_of(client_request.get("main.home"))
    client_request.sign_in(scene.south_lead)
    client_request.get("requests.show", _expected_status=403, request_id=request.id)
    client_request.sign_in(scene.cluster_lead)
    page = client_request.get("clusters.show", cluster_id=scene.north.id)
    assert "SEND register" in page.select_one("#requests ~ .app-table-scroll table").get_text()


def test_a_cluster_lead_chooses_some_of_the_cluster_schools(client_request, scene):
    client_request.sign_in(scene.cluster_lead)
    client_request.post("requests.new_cluster_request", {
        "title": "Transition", "details": "Year 6 numbers", "working_days": "5", "audience": "chosen",
        "schools": [str(scene.alder.id), str(scene.damson.id)]}, cluster_id=scene.north.id)
    [recipient] = db.session.scalar(select(InformationRequest)).recipients
    assert recipient.school_id == scene.alder.id


def test_a_cluster_lead_cannot_ask_when_every_year_is_closed(client_request, scene):
    scene.year.is_closed = True
    db.session.commit()
    client_request.sign_in(scene.cluster_lead)
    response = client_request.client.get(client_request.url("requests.new_cluster_request", cluster_id=scene.north.id),
                                         follow_redirects=True)
    assert "Every academic year of the programme is closed" in text_of(client_request._page(response, 200), "body")


def test_the_programme_lead_asks_the_schools_in_a_cluster(client_request, scene):
    foreign = make_cluster(make_programme(), name="Elsewhere")
    client_request.sign_in(scene.lead)
    page = client_request.get("requests.new", year_id=scene.year.id)
    assert "The schools in a cluster" in text_of(page)
    assert [o.text for o in page.select("select[name=cluster_id] option")] == ["North cluster", "South cluster"]
    page = client_request.post("requests.new", {
        "title": "Numbers", "details": "How many?", "working_days": "10", "audience": "cluster",
        "cluster_id": str(foreign.id)}, _expected_status=200, year_id=scene.year.id)
    assert error_messages(page) == ["Choose one of the programme's clusters"]
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0
    client_request.post("requests.new", {"title": "Numbers", "details": "How many?", "working_days": "10",
                                         "audience": "cluster", "cluster_id": str(scene.south.id)},
                        year_id=scene.year.id)
    request = db.session.scalar(select(InformationRequest))
    assert request.cluster_id == scene.south.id
    assert [r.school_id for r in request.recipients] == [scene.damson.id]


def test_a_programme_without_clusters_offers_no_cluster_audience(client_request, session):
    year = make_year(make_programme(), start_year=THIS_YEAR)
    enrol(year)
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=year.programme))
    page = client_request.get("requests.new", year_id=year.id)
    assert "The schools in a cluster" not in text_of(page) and not page.select("select[name=cluster_id]")


def test_the_send_review_form_refuses_bad_dates_and_saves_a_good_one(client_request, scene):
    client_request.sign_in(scene.cluster_lead)
    values = {"cluster_id": scene.north.id, "school_id": scene.birch.id}
    cases = [(["", "", ""], "Enter the date of the last Whole School SEND Review"),
             (["31", "2", "2024"], "The date of the last review must be a real date, for example 14 3 2024"),
             (form_date(TODAY + timedelta(days=1)), "The date of the last review must be today or in the past"),
             (["1", "6", "1998"], "The date of the last review must be in 2000 or later")]
    for day, message in cases:
        page = client_request.post("clusters.send_review", {"last_review_on": day}, _expected_status=200, **values)
        assert error_messages(page) == [message]
    assert scene.birch.last_send_review_on is None
    long_ago = date(THIS_YEAR - 4, 3, 1)
    client_request.post("clusters.send_review", {"last_review_on": form_date(long_ago)}, **values)
    db.session.expire_all()
    assert scene.birch.last_send_review_on == long_ago
    page = client_request.get("clusters.show", cluster_id=scene.north.id)
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")][:5]
            for row in review_rows(page)[:1]]
    assert rows == [["Birch Primary", "Primary", f"1 March {THIS_YEAR - 4}", f"1 March {THIS_YEAR - 1}", "Overdue"]]
    assert "1 of 3 schools has a review due or overdue." in text_of(page)


def test_the_lead_names_the_leads_and_a_senco_of_the_wrong_phase_is_refused(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("clusters.leads", {"lead_head_id": str(scene.head.id), "primary_senco_id": "",
                                                  "secondary_senco_id": str(scene.senco.id)},
                               _expected_status=200, cluster_id=scene.north.id)
    assert error_messages(page) == ["Choose the SENCo of one of the cluster's secondary schools"]
    client_request.post("clusters.leads", {"lead_head_id": str(scene.head.id), "primary_senco_id": str(scene.senco.id),
                                           "secondary_senco_id": str(scene.secondary_senco.id)},
                        cluster_id=scene.north.id)
    leads = set(db.session.scalars(select(RoleAssignment.user_id).where(RoleAssignment.role == Role.CLUSTER_LEAD,
                                                                        RoleAssignment.cluster_id == scene.north.id)))
    assert leads == {scene.cluster_lead.id, scene.head.id, scene.senco.id, scene.secondary_senco.id}
    page = client_request.get("clusters.leads", cluster_id=scene.north.id)
    assert [page.select_one(f"select[name={name}] option[selected]")["value"] for name in (
        "lead_head_id", "primary_senco_id", "secondary_senco_id")] == [
        str(scene.head.id), str(scene.senco.id), str(scene.secondary_senco.id)]
    client_request.sign_in(scene.head)
    page = client_request.get("clusters.show", cluster_id=scene.north.id)
    assert "Lead SENCo, secondary Aisha Rahman" in text_of(page)


def test_the_lead_adds_a_cluster_and_a_clashing_name_is_refused(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.get("clusters.index", programme_id=scene.programme.id)
    assert [row.select("td")[1].text for row in page.select("tbody tr")] == ["3", "1"]
    page = client_request.post("clusters.index", {"name": " north CLUSTER "}, _expected_status=200,
                               programme_id=scene.programme.id)
    assert error_messages(page) == ["There is already a cluster called North cluster in this programme"]
    response = client_request.post("clusters.index", {"name": "East cluster"}, programme_id=scene.programme.id)
    east = next(c for c in scene.programme.clusters if c.name == "East cluster")
    assert response.location.endswith(f"/clusters/{east.id}/schools")


def test_the_lead_chooses_the_cluster_schools(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.get("clusters.schools", cluster_id=scene.north.id)
    assert [i["value"] for i in page.select("input[name=schools][checked]")] == [
        str(s.id) for s in (scene.alder, scene.birch, scene.hawthorn)]
    assert "Damson Primary (now in South cluster)" in text_of(page)
    client_request.post("clusters.schools", {"schools": [str(scene.alder.id), str(scene.unclustered.id)]},
                        cluster_id=scene.north.id)
    client_request.sign_in(scene.cluster_lead)
    page = client_request.get("clusters.show", cluster_id=scene.north.id)
    assert [row.th.text for row in review_rows(page)] == ["Alder Primary", "Elm Primary"]


def test_a_cluster_lead_schedules_in_the_term_and_records_the_meeting(client_request, scene):
    term = term_of(TODAY, THIS_YEAR)
    wrong = next(t for t in Term if t != term)
    client_request.sign_in(scene.cluster_lead)
    meeting_form = {"day": form_date(TODAY), "time": "15:30", "duration_minutes": "90",
                    "host_school_id": str(scene.hawthorn.id), "place": "Hawthorn High", "online_link": "",
                    "agenda": "Transfer to Year 7"}
    page = client_request.post("scheduling.cluster_meeting", meeting_form, _expected_status=200,
                               cluster_id=scene.north.id,
                               term=wrong.value)
    assert error_messages(page)[0].startswith(f"The {wrong.label.lower()} meeting must be between")
    assert db.session.scalar(select(func.count()).select_from(ClusterMeeting)) == 0
    client_request.post("scheduling.cluster_meeting", meeting_form, cluster_id=scene.north.id, term=term.value)
    meeting = db.session.scalar(select(ClusterMeeting))
    assert (meeting.term, meeting.host_school_id) == (term, scene.hawthorn.id)
    page = client_request.get("scheduling.record_cluster", cluster_meeting_id=meeting.id)
    assert {label.text.strip() for label in page.select("[name=attendees] + label")} == {
        "Helen Marsh", "Tom Okafor", "Aisha Rahman"}
    notes = {"held": "y", "notes": "Agreed one transfer form", "version": str(meeting.version),
             "attendees": [str(scene.senco.id)]}
    client_request.post("scheduling.record_cluster", notes, cluster_meeting_id=meeting.id)
    page = client_request.get("scheduling.record_cluster", cluster_meeting_id=meeting.id)
    assert [i["value"] for i in page.select("input[name=attendees][checked]")] == [str(scene.senco.id)]
    assert page.select_one("input[name=held][checked]") and "Agreed one transfer form" in page.textarea.text
    page = client_request.get("scheduling.cluster_meeting", cluster_id=scene.north.id, term=term.value)
    assert page.select_one("select[name=host_school_id] option[selected]")["value"] == str(scene.hawthorn.id)
    assert page.select_one("input[name=place]")["value"] == "Hawthorn High"
    page = client_request.get("clusters.show", cluster_id=scene.north.id)
    states = [row.select("td")[1].get_text(strip=True) for row in page.select("#meetings + .app-table-scroll tbody tr")]
    assert states == ["Held" if t == term else "Missing" for t in Term]
    assert "Agreed one transfer form" in text_of(page) and "Attended: Tom Okafor" in text_of(page)


def test_home_pages_show_the_cluster_reviews_and_the_next_meeting(client_request, scene):
    record_send_review(scene.alder, date(THIS_YEAR - 5, 1, 10), TODAY)
    record_send_review(scene.birch, TODAY, TODAY)
    upcoming = min(TODAY + timedelta(days=7), scene.year.ends_on)
    term = term_of(upcoming, THIS_YEAR)
    add_meeting(scene.north, scene.year, term, upcoming)
    db.session.commit()
    client_request.sign_in(scene.cluster_lead)
    page = client_request.get("main.home")
    assert "1 school is due a Whole School SEND Review" in task_section(page, "to-do")
    coming_up = text_of(page, "#coming-up")
    assert f"North cluster: {term.label} meeting" in coming_up and f"{upcoming.day} {upcoming:%B}" in coming_up
    assert page.select_one(f"a[href='/clusters/{scene.north.id}']")
    client_request.sign_in(scene.senco)
    page = client_request.get("main.home")
    assert f"North cluster: {term.label} meeting" in text_of(page, "#coming-up")
    client_request.sign_in(scene.damson_senco)
    assert "North cluster" not in text_of(client_request.get("main.home"))


def test_cluster_meetings_are_in_the_feeds_of_the_cluster_schools_and_leads(client_request, scene):
    add_meeting(scene.north, scene.year, Term.AUTUMN, date(THIS_YEAR, 11, 19))
    for person, expected in ((scene.senco, True), (scene.cluster_lead, True), (scene.damson_senco, False)):
        person.calendar_token = f"token-{person.id.hex}"
        db.session.commit()
        body = client_request.client.get(client_request.url("calendars.feed", token=person.calendar_token)).get_data(
            as_text=True)
        assert ("North cluster: Autumn term meeting" in body) is expected


def build_cluster(size: int) -> SimpleNamespace:
    """A cluster of `size` schools, each with staff and a review date, a meeting and a request for every
    three schools (at most three meetings)."""
    programme = make_programme()
    year = make_year(programme, start_year=THIS_YEAR)
    cluster = make_cluster(programme)
    schools = enrol(year, *(make_school(phase="Secondary" if n % 2 else "Primary") for n in range(size)),
                    cluster=cluster)
    people = []
    for n, school in enumerate(schools):
        school.last_send_review_on = date(THIS_YEAR - n % 5, 3, 1)
        people += [make_user(Role.HEAD, school=school), make_user(Role.SENCO, school=school)]
    cluster.lead_head, cluster.primary_senco, cluster.secondary_senco = people[0], people[1], people[3]
    days = (date(THIS_YEAR, 10, 1), date(THIS_YEAR + 1, 2, 1), date(THIS_YEAR + 1, 6, 1))
    for term, day in list(zip(Term, days, strict=True))[:size // 3]:
        add_meeting(cluster, year, term, day, host_school_id=schools[-1].id, held=True, notes="Notes",
                    attendees=people[:size])
    lead = make_user(Role.CLUSTER_LEAD, cluster=cluster)
    for n in range(size // 3):
        create_request(year, lead, f"Request {n + 1}", "How many?", 10, cluster=cluster)
    db.session.commit()
    return SimpleNamespace(cluster=cluster, lead=lead)


def test_the_cluster_page_takes_the_same_queries_for_3_schools_or_12(client_request, session):
    counts = []
    for size in (3, 12):
        built = build_cluster(size)
        client_request.sign_in(built.lead)
        page = client_request.get("clusters.show", cluster_id=built.cluster.id)
        assert len(review_rows(page)) == size
        assert len(page.select_one("#requests ~ .app-table-scroll table").select("tbody tr")) == size // 3
        counts.append(client_request.last_statements)
    assert counts[0] == counts[1] > 0


def test_a_cluster_leads_home_page_takes_the_same_queries_for_one_cluster_or_three(client_request, session):
    built = [build_cluster(3) for _ in range(3)]
    lead = built[0].lead
    client_request.sign_in(lead)
    db.session.expire_all()  # as in production, each request loads the person afresh
    client_request.get("main.home")
    one = client_request.last_statements
    for more in built[1:]:
        lead.roles.append(RoleAssignment(role=Role.CLUSTER_LEAD, cluster_id=more.cluster.id))
    db.session.commit()
    page = client_request.get("main.home")
    assert len(page.select("a[href^='/clusters/'][href$='#reviews']")) == 3
    assert client_request.last_statements == one
