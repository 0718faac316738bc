"""The home page per role and the health check."""
from app.models import Role
from tests.factories import make_triad, make_user
from tests.pages import task_section, text_of


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "reachable"


def test_home_sends_a_signed_out_person_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_senco_home_links_their_school_and_triad_and_says_what_to_start(client_request):
    triad = make_triad()
    member = triad.members[1]
    senco = make_user(Role.SENCO, school=member.school)
    client_request.sign_in(senco)
    page = client_request.get("main.home")
    places = [a.get_text(strip=True) for a in page.select(".govuk-grid-column-one-third a")]
    assert member.school.name in places and triad.name in places
    assert "Start the self-evaluation" in task_section(page, "to-do")


def test_user_without_a_role_is_told_who_to_ask(client_request):
    client_request.sign_in(make_user())
    page = client_request.get("main.home")
    assert "Ask your programme lead to invite you" in text_of(page)


def test_a_new_programme_lead_is_told_to_add_a_year(client_request):
    from tests.factories import make_programme

    lead = make_user(Role.PROGRAMME_LEAD, programme=make_programme())
    client_request.sign_in(lead)
    page = client_request.get("main.home")
    assert "Add the next academic year" in text_of(page)


def test_a_lead_with_an_empty_year_is_told_to_import_schools(client_request):
    from tests.factories import make_year

    year = make_year()
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=year.programme))
    page = client_request.get("main.home")
    assert "Enrol the schools taking part in 2025/26" in text_of(page)
    assert page.select_one("a.govuk-task-list__link")["href"] == f"/years/{year.id}/import"


def test_a_lead_with_unplaced_schools_is_told_to_form_triads(client_request):
    from tests.factories import enrol, make_year

    year = make_year()
    make_triad(year)
    enrol(year)
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=year.programme))
    page = client_request.get("main.home")
    assert "Place 3 schools in triads" in text_of(page)


def test_the_home_page_issues_the_same_number_of_queries_however_many_schools(client_request):
    from tests.factories import make_year

    user = make_user(Role.ADMIN)
    client_request.sign_in(user)
    client_request.get("main.home")
    few = client_request.last_statements
    year = make_year()
    for _ in range(5):
        make_triad(year)
    from app.extensions import db
    from app.models import RoleAssignment

    for member in make_triad(year).members:
        db.session.add(RoleAssignment(user=user, role=Role.HEAD, school=member.school))
    db.session.add(RoleAssignment(user=user, role=Role.PROGRAMME_LEAD, programme=year.programme))
    db.session.commit()
    client_request.get("main.home")
    with_programme_and_schools = client_request.last_statements
    for member in make_triad(year).members:
        db.session.add(RoleAssignment(user=user, role=Role.SENCO, school=member.school))
    db.session.commit()
    client_request.get("main.home")
    assert client_request.last_statements == with_programme_and_schools
    assert few <= with_programme_and_schools


def test_a_cluster_lead_sees_their_cluster(client_request):
    from tests.factories import enrol, make_cluster, make_year

    year = make_year()
    cluster = make_cluster(year.programme, name="East cluster")
    enrol(year, cluster=cluster)
    client_request.sign_in(make_user(Role.CLUSTER_LEAD, cluster=cluster))
    page = client_request.get("main.home")
    assert "East cluster" in text_of(page, ".govuk-grid-column-one-third")
